import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import {
  Streams,
  type CapacityProviderEvent,
  type DaemonCreated,
  type DaemonRevisionCreated,
  type DaemonRevisionRestored,
  type DaemonTaskDefinitionRegistered,
  type PlannedDaemonTask,
  type ReplyOf,
  type RequestOf,
  type Subject,
} from '@daemonfleet/contracts';
import { capacityProviderDecider, fold, type ActiveCapacityProvider, type DaemonPlacement, type InstanceState } from '@daemonfleet/domain';
import { createMemoryEventStore, type EventStore, type MemoryEventStore, type NewEvent, type RecordedEvent } from '@daemonfleet/event-store';
import { createRpcClient, InProcessBus, type RpcClient } from '@daemonfleet/messaging';
import { loadConfig, randomIds, systemClock } from '@daemonfleet/service-runtime';
import { expect } from 'vitest';
import { startFleetAgent } from '../index.js';
import { DaemonPlacements } from '../simulation/daemon-placements.js';

export const scope = { accountId: '000000000000', region: 'us-east-1' };
export const prefix = `arn:aws:ecs:${scope.region}:${scope.accountId}`;

/**
 * The fleet agent started as the embedded system starts it, on a real in-memory store and the in-process transport,
 * driven by commands as the other services send them, and observed through the store.
 */
export class FleetAgentHarness {
  private constructor(
    readonly store: MemoryEventStore,
    private readonly app: INestMicroservice,
    private readonly client: RpcClient,
    private readonly env: Record<string, string>,
  ) {}

  /**
   * `env` as the process environment: TIME_SCALE, SIM_* and TASKS_PER_INSTANCE shape the simulation. `before`
   * writes to the store before the agent starts (daemons, say, which it reads when it rebuilds its views).
   */
  static async start(env: Record<string, string> = {}, before?: (store: MemoryEventStore) => Promise<unknown>): Promise<FleetAgentHarness> {
    const store = createMemoryEventStore();
    await before?.(store);
    return FleetAgentHarness.on(store, env);
  }

  private static async on(store: MemoryEventStore, env: Record<string, string>): Promise<FleetAgentHarness> {
    const transport = { kind: 'in-process' as const, bus: new InProcessBus() };
    const config = loadConfig({ LOG_LEVEL: 'warn', RESYNC_INTERVAL_MS: '100', ...env });
    const app = await startFleetAgent({ processName: 'fleet-agent', config, eventStore: store, transport, clock: systemClock, ids: randomIds });
    return new FleetAgentHarness(store, app, createRpcClient(transport, { defaultTimeoutMs: 10_000 }), env);
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.app.close();
    await this.store.close();
  }

  /** Stops this agent and starts another on the same data, as after a crash or a deploy. */
  async restart(): Promise<FleetAgentHarness> {
    await this.close();
    return FleetAgentHarness.on(createMemoryEventStore({ log: this.store.log }), this.env);
  }

  send<S extends Subject>(subject: S, data: RequestOf<S>): Promise<ReplyOf<S>> {
    return this.client.request(subject, { data, meta: { correlationId: randomUUID(), scope, principalArn: `arn:aws:iam::${scope.accountId}:user/test` } });
  }

  /** The provider's fleet as its stream says now. */
  async fleet(provider: string): Promise<ActiveCapacityProvider> {
    const events = await this.events(Streams.capacityProvider(scope, provider));
    return fold(capacityProviderDecider, events.map((event) => ({ type: event.type, data: event.data }) as CapacityProviderEvent)) as ActiveCapacityProvider;
  }

  /** Each live daemon's current revision as this agent knows it now (it follows the daemon events asynchronously). */
  daemonPlacements(): DaemonPlacement[] {
    return this.app.get(DaemonPlacements).all();
  }

  async instances(provider: string): Promise<InstanceState[]> {
    return [...(await this.fleet(provider)).fleet.instances.values()];
  }

  events(streamId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(streamId);
  }

  /** A cluster and a Managed Instances capacity provider in it. */
  async createProvider(cluster: string, provider: string): Promise<void> {
    await this.send('fleet.command.CreateCluster', { clusterName: cluster });
    await this.send('fleet.command.CreateCapacityProvider', managedInstancesProvider(cluster, provider));
  }

  /** A task definition and a service of `desiredCount` tasks on one provider; answers the service's ARN. */
  async createService(cluster: string, service: string, provider: string, desiredCount: number): Promise<string> {
    await this.send('fleet.command.RegisterTaskDefinition', { family: `${service}-td`, containerDefinitions: [{ name: 'web', image: 'nginx' }] });
    const created = await this.send('fleet.command.CreateService', {
      serviceName: service,
      cluster,
      taskDefinition: `${service}-td`,
      desiredCount,
      capacityProviderStrategy: [{ capacityProvider: provider, weight: 1 }],
    });
    return created.result.serviceArn;
  }
}

/** CreateCapacityProvider for a Managed Instances provider in the cluster, as the gateway sends it. */
export function managedInstancesProvider(cluster: string, provider: string): RequestOf<'fleet.command.CreateCapacityProvider'> {
  return {
    name: provider,
    cluster,
    managedInstancesProvider: {
      infrastructureRoleArn: `arn:aws:iam::${scope.accountId}:role/infra`,
      instanceLaunchTemplate: { ec2InstanceProfileArn: `arn:aws:iam::${scope.accountId}:instance-profile/ecs` },
    },
  } as RequestOf<'fleet.command.CreateCapacityProvider'>;
}

/**
 * A daemon on the providers, written as the orchestrator writes it: what the fleet agent's placement view reads.
 * With `image`, its task definition (`<daemonName>:1`) is registered first with that container image, as fault
 * rules match images.
 */
export async function placeDaemon(
  store: Pick<EventStore, 'appendToStream'>,
  cluster: string,
  daemonName: string,
  providers: readonly string[],
  { revisionId = '1000000000000000001', critical = true, image }: { revisionId?: string; critical?: boolean; image?: string } = {},
): Promise<PlannedDaemonTask> {
  const daemonArn = `${prefix}:daemon/${cluster}/${daemonName}`;
  const deploymentId = `dep${revisionId.slice(0, 13)}`;
  const daemonTaskDefinitionArn = image ? await registerDaemonTaskDefinition(store, daemonName, 1, image) : `${prefix}:daemon-task-definition/${daemonName}:1`;
  const revision = {
    daemonRevisionArn: `${prefix}:daemon-revision/${cluster}/${daemonName}/${revisionId}`,
    revisionId,
    daemonTaskDefinitionArn,
    capacityProviderArns: providers.map((name) => `${prefix}:capacity-provider/${name}`),
    propagateTags: 'NONE' as const,
    enableECSManagedTags: false,
    enableExecuteCommand: false,
    critical,
    containerImages: [],
    createdAt: Date.now(),
  };
  const created: DaemonCreated = {
    type: 'DaemonCreated',
    data: { daemonArn, daemonName, clusterArn: `${prefix}:cluster/${cluster}`, tags: [], clientToken: null, requestFingerprint: 'test', createdAt: Date.now() },
  };
  const revised: DaemonRevisionCreated = {
    type: 'DaemonRevisionCreated',
    data: {
      daemonArn,
      revision,
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
      deploymentId,
      deploymentArn: `${prefix}:daemon-deployment/${cluster}/${daemonName}/${deploymentId}`,
      createdAt: Date.now(),
    },
  };
  await store.appendToStream(Streams.daemon(scope, cluster, daemonName), [withMetadata(created), withMetadata(revised)], { expectedVersion: 'no_stream' });
  return { daemonArn, daemonRevisionArn: revision.daemonRevisionArn, daemonTaskDefinitionArn: revision.daemonTaskDefinitionArn, critical };
}

/** A new revision of a placed daemon on the providers, as UpdateDaemon writes it (DaemonRevisionCreated). */
export async function reviseDaemon(store: Pick<EventStore, 'appendToStream'>, revision: PlannedDaemonTask, providers: readonly string[]): Promise<void> {
  const [cluster, daemonName] = revision.daemonArn.split('/').slice(-2);
  const revisionId = revision.daemonRevisionArn.split('/').at(-1)!;
  const deploymentId = `dep${revisionId.slice(0, 13)}`;
  const revised: DaemonRevisionCreated = {
    type: 'DaemonRevisionCreated',
    data: {
      daemonArn: revision.daemonArn,
      revision: {
        daemonRevisionArn: revision.daemonRevisionArn,
        revisionId,
        daemonTaskDefinitionArn: revision.daemonTaskDefinitionArn,
        capacityProviderArns: providers.map((name) => `${prefix}:capacity-provider/${name}`),
        propagateTags: 'NONE',
        enableECSManagedTags: false,
        enableExecuteCommand: false,
        critical: revision.critical,
        containerImages: [],
        createdAt: Date.now(),
      },
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
      deploymentId,
      deploymentArn: `${prefix}:daemon-deployment/${cluster}/${daemonName}/${deploymentId}`,
      createdAt: Date.now(),
    },
  };
  await store.appendToStream(Streams.daemon(scope, cluster, daemonName), [withMetadata(revised)], { expectedVersion: 'any' });
}

/** A rollback restored an earlier revision on the daemon (DaemonRevisionRestored), as the orchestrator writes it. */
export async function restoreDaemonRevision(store: Pick<EventStore, 'appendToStream'>, revision: PlannedDaemonTask, deploymentId: string): Promise<void> {
  const [cluster, daemonName] = revision.daemonArn.split('/').slice(-2);
  const restored: DaemonRevisionRestored = {
    type: 'DaemonRevisionRestored',
    data: { daemonArn: revision.daemonArn, revisionArn: revision.daemonRevisionArn, deploymentId, restoredAt: Date.now() },
  };
  await store.appendToStream(Streams.daemon(scope, cluster, daemonName), [withMetadata(restored)], { expectedVersion: 'any' });
}

/** A daemon task definition revision with one container of `image`, written as the orchestrator writes it; answers its ARN. */
export async function registerDaemonTaskDefinition(store: Pick<EventStore, 'appendToStream'>, family: string, revision: number, image: string): Promise<string> {
  const daemonTaskDefinitionArn = `${prefix}:daemon-task-definition/${family}:${revision}`;
  const registered: DaemonTaskDefinitionRegistered = {
    type: 'DaemonTaskDefinitionRegistered',
    data: {
      daemonTaskDefinitionArn,
      family,
      revision,
      definition: { containerDefinitions: [{ name: family, image, essential: true }], volumes: [], tags: [] },
      registeredAt: Date.now(),
      registeredBy: `arn:aws:iam::${scope.accountId}:user/test`,
    },
  };
  await store.appendToStream(Streams.daemonTaskDefinitionFamily(scope, family), [withMetadata(registered)], { expectedVersion: revision - 1 });
  return daemonTaskDefinitionArn;
}

export function withMetadata(event: { type: string; data: object }): NewEvent {
  return { ...event, metadata: { eventId: randomUUID(), occurredAt: new Date().toISOString(), correlationId: 'test', schemaVersion: 1 } };
}

/** The application tasks of a service in the fleet: all of them, and the RUNNING ones. */
export function tasksOf(instances: readonly InstanceState[], serviceArn: string) {
  const all = instances.flatMap((instance) => [...instance.appTasks.values()].filter((task) => task.serviceArn === serviceArn));
  return { all, running: all.filter((task) => task.status === 'RUNNING') };
}

/** Replaying the fleet's events: once the service first ran `desired` tasks, a stop never leaves it with fewer. */
export function expectNoTaskLost(events: readonly RecordedEvent[], serviceArn: string, desired: number): void {
  const ofService = new Set<string>();
  const running = new Set<string>();
  let reached = false;
  for (const { type, data } of events) {
    const { taskArn, serviceArn: service } = data as { taskArn?: string; serviceArn?: string };
    if (type === 'AppTaskPlaced' && service === serviceArn) ofService.add(taskArn!);
    if (!taskArn || !ofService.has(taskArn)) continue;
    if (type === 'AppTaskStarted') running.add(taskArn);
    if (type === 'AppTaskStopped') {
      running.delete(taskArn);
      if (reached) expect(running.size, 'a task stopped before its replacement ran').toBeGreaterThanOrEqual(desired);
    }
    if (running.size >= desired) reached = true;
  }
  expect(reached).toBe(true);
}
