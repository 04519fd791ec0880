import type { EventStore, RecordedEvent } from '@daemonfleet/event-store';
import { eventually } from '@daemonfleet/testing';
import { expect } from 'vitest';
import { agentDefinition, allEvents, managedInstancesProvider } from './first-flow.scenario.js';
import type { Json, JsonClient } from './http-client.js';

/**
 * A cluster with Managed Instances providers, daemon task definitions and services, driven over the REST API:
 * what each rollout scenario starts from. Every name is prefixed with the cluster's, so scenarios share a system.
 */
export class FleetWorld {
  constructor(
    readonly client: JsonClient,
    readonly store: EventStore,
    readonly cluster: string,
  ) {}

  provider(suffix = 'mi'): string {
    return `${this.cluster}-${suffix}`;
  }

  /** The image of revision `n` of this world's agent: unique to the world, so a fault on it touches no other. */
  image(revision: number): string {
    return `example/${this.cluster}-agent:${revision}.0`;
  }

  async create({ providers = ['mi'], agentImages = [this.image(1), this.image(2), this.image(3)] } = {}): Promise<void> {
    expect((await this.client.post('/v1/clusters', { clusterName: this.cluster })).status).toBe(201);
    for (const suffix of providers) expect((await this.client.post('/v1/capacity-providers', managedInstancesProvider(this.provider(suffix), this.cluster))).status).toBe(201);
    for (const image of agentImages) expect((await this.client.post('/v1/daemon-task-definitions', agentDefinition(`${this.cluster}-agent`, image))).status).toBe(201);
    const app = await this.client.post('/v1/task-definitions', { family: `${this.cluster}-app`, containerDefinitions: [{ name: 'web', image: 'web:1.0', memory: 256 }] });
    expect(app.status).toBe(201);
  }

  /** A service of `desiredCount` tasks on one provider; waits until they all run. */
  async service(name: string, desiredCount: number, providerSuffix = 'mi'): Promise<void> {
    const created = await this.client.post('/v1/services', {
      serviceName: name,
      cluster: this.cluster,
      taskDefinition: `${this.cluster}-app:1`,
      desiredCount,
      capacityProviderStrategy: [{ capacityProvider: this.provider(providerSuffix), weight: 1 }],
    });
    expect(created.status).toBe(201);
    await this.serviceSteady(name, desiredCount);
  }

  async serviceSteady(name: string, runningCount: number): Promise<Json> {
    return eventually(
      async () => {
        const { body } = await this.client.get(`/v1/services/${this.cluster}/${name}`);
        expect(body.service).toMatchObject({ runningCount, pendingCount: 0 });
        return body.service;
      },
      { timeoutMs: 30_000, what: `service ${name} to run ${runningCount} tasks` },
    );
  }

  async createDaemon(name: string, settings: Json): Promise<{ daemonArn: string; deploymentId: string }> {
    const created = await this.client.post('/v1/daemons', { daemonName: name, clusterArn: this.cluster, ...settings });
    expect(created.status).toBe(201);
    return { daemonArn: created.body.daemonArn, deploymentId: idOf(created.body.deploymentArn) };
  }

  async updateDaemon(name: string, settings: Json): Promise<{ deploymentId: string; body: Json }> {
    const updated = await this.client.put(`/v1/daemons/${this.cluster}/${name}`, settings);
    expect(updated.status).toBe(200);
    return { deploymentId: idOf(updated.body.deploymentArn), body: updated.body };
  }

  async deployment(deploymentId: string): Promise<Json> {
    const { status, body } = await this.client.get(`/v1/deployments/${deploymentId}`);
    expect(status).toBe(200);
    return body.daemonDeployment;
  }

  /** Polls the deployment until it reaches `status`, keeping every answer seen on the way. */
  async watch(deploymentId: string, status: string, timeoutMs = 60_000): Promise<{ final: Json; samples: Json[] }> {
    const samples: Json[] = [];
    const final = await eventually(
      async () => {
        const sample = await this.deployment(deploymentId);
        samples.push(sample);
        expect(sample.status).toBe(status);
        return sample;
      },
      { timeoutMs, intervalMs: 5, what: `deployment ${deploymentId} to be ${status}` },
    );
    return { final, samples };
  }

  /** Emulator control: the agent's image `revision` fails to start at `rate`; answers the fault's id. */
  async fault(revision: number, rate: number): Promise<string> {
    const added = await this.client.post('/v1/faults', { image: this.image(revision), daemonTaskStartFailureRate: rate });
    expect(added.status).toBe(201);
    return added.body.id;
  }

  async removeFault(id: string): Promise<void> {
    expect((await this.client.delete(`/v1/faults/${id}`)).status).toBe(200);
  }

  async instances(): Promise<Json[]> {
    const arns = await this.listAll(`/v1/clusters/${this.cluster}/container-instances`, 'containerInstanceArns');
    return Promise.all(arns.map(async (arn) => (await this.client.get(`/v1/clusters/${this.cluster}/container-instances/${idOf(arn)}`)).body.containerInstance));
  }

  /** The daemon's tasks, each with its instance and revision, from ListTasks/DescribeTasks. */
  async daemonTasks(daemonName: string): Promise<Json[]> {
    const arns = await this.listAll(`/v1/clusters/${this.cluster}/tasks?daemonName=${daemonName}`, 'taskArns');
    return Promise.all(arns.map(async (arn) => (await this.client.get(`/v1/clusters/${this.cluster}/tasks/${idOf(arn)}`)).body.task));
  }

  /** Every page of a listing (100 a page), following nextToken. */
  private async listAll(path: string, field: string): Promise<string[]> {
    const all: string[] = [];
    let nextToken: string | undefined;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const { body } = await this.client.get(nextToken ? `${path}${separator}nextToken=${encodeURIComponent(nextToken)}` : path);
      all.push(...body[field]);
      nextToken = body.nextToken;
    } while (nextToken);
    return all;
  }

  /** Every event of this world's providers, in order. */
  async fleetEvents(): Promise<RecordedEvent[]> {
    const prefix = `capacityProvider-000000000000.us-east-1.${this.cluster}-`;
    return (await allEvents(this.store)).filter((e) => e.streamId.startsWith(prefix));
  }
}

export const idOf = (arn: string): string => arn.split('/').at(-1)!;

/** The largest `drainingInstanceCount` total any sample showed, over the target and source revisions. */
export function maxDraining(samples: readonly Json[]): number {
  return Math.max(
    0,
    ...samples.map((s) => (s.targetDaemonRevision?.totalDrainingInstanceCount ?? 0) + s.sourceDaemonRevisions.reduce((sum: number, r: Json) => sum + r.totalDrainingInstanceCount, 0)),
  );
}
