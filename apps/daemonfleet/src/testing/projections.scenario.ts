import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EventStore } from '@daemonfleet/event-store';
import { eventually } from '@daemonfleet/testing';
import { expect } from 'vitest';
import { ECS_TARGET, postAws } from './aws/aws-raw-client.js';
import { FleetWorld, idOf } from './fleet-world.js';
import type { Json, JsonClient } from './http-client.js';
import { runProcess, type ProcessRun } from './run-process.js';

/**
 * Projections rebuilt from the store (issue: replay, part 3), against the whole system: the gateway's read models
 * are dropped and rebuilt while deployments roll and roll back, every answer meanwhile is whole, and once the
 * system is at rest every answer of the read models (REST and the ECS protocol) is the same as before the rebuild,
 * and the same as a gateway that never rebuilt (distributed mode) or that took up `npm run rebuild-projections`'s
 * snapshot.
 */

const root = fileURLToPath(new URL('../../../../', import.meta.url));
export const REBUILD_PROJECTIONS = `${root}apps/api-gateway/dist/read-models/rebuild-projections.main.js`;

/** Every answer of the read models about these clusters (and the system-wide lists): path → status, body (and version). */
export async function collectAnswers(client: JsonClient, clusters: readonly string[]): Promise<Record<string, Json>> {
  const answers: Record<string, Json> = {};
  const get = async (path: string): Promise<Json> => {
    const { status, body, headers } = await client.get(path);
    const version = headers.get('x-daemonfleet-deployment-version');
    answers[path] = { status, body, ...(version === null ? {} : { version }) };
    return body;
  };
  const ecs = async (operation: string, request: Json) => {
    const { status, body } = await postAws(client.baseUrl, ECS_TARGET(operation), JSON.stringify(request));
    answers[`ECS ${operation} ${JSON.stringify(request)}`] = { status, body };
    return body as Json;
  };
  await get('/v1/clusters');
  await get('/v1/capacity-providers');
  await get('/v1/daemon-task-definitions');
  await get('/v1/alarms');
  await get('/v1/faults');
  for (const cluster of clusters) {
    await get(`/v1/clusters/${cluster}`);
    await get(`/v1/capacity-providers/${cluster}-mi`);
    await get(`/v1/task-definitions/${cluster}-app:1`);
    for (const arn of (await get(`/v1/clusters/${cluster}/container-instances`)).containerInstanceArns) await get(`/v1/clusters/${cluster}/container-instances/${idOf(arn)}`);
    for (const arn of (await get(`/v1/clusters/${cluster}/tasks`)).taskArns) await get(`/v1/clusters/${cluster}/tasks/${idOf(arn)}`);
    for (const arn of (await get(`/v1/clusters/${cluster}/services`)).serviceArns) await get(`/v1/services/${cluster}/${idOf(arn)}`);
    for (const { daemonArn } of (await get(`/v1/daemons?clusterArn=${cluster}`)).daemonSummariesList) {
      const daemon = idOf(daemonArn);
      await get(`/v1/daemons/${cluster}/${daemon}`);
      for (const revision of (await get(`/v1/daemons/${cluster}/${daemon}/revisions`)).daemonRevisions) await get(`/v1/daemon-revisions/${cluster}/${daemon}/${idOf(revision.daemonRevisionArn)}`);
      const deployments = (await get(`/v1/daemons/${cluster}/${daemon}/deployments`)).daemonDeployments;
      for (const deployment of deployments) await get(`/v1/deployments/${idOf(deployment.daemonDeploymentArn)}`);
      await ecs('DescribeDaemonDeployments', { daemonDeploymentArns: deployments.map((d: Json) => d.daemonDeploymentArn) });
      await ecs('DescribeDaemon', { daemonArn });
    }
    await ecs('ListContainerInstances', { cluster });
  }
  for (const { alarmName } of answers['/v1/alarms'].body.metricAlarms) {
    await get(`/v1/alarms/${alarmName}`);
    await get(`/v1/alarms/${alarmName}/history`);
  }
  return answers;
}

/** Waits until the store's head stays where it is: nothing more happens in the system. */
export async function untilQuiet(store: EventStore): Promise<number> {
  let last = -1;
  let still = 0;
  return eventually(
    async () => {
      const head = await store.headPosition();
      still = head === last ? still + 1 : 0;
      last = head;
      expect(still).toBeGreaterThanOrEqual(3);
      return head;
    },
    { timeoutMs: 30_000, intervalMs: 200, what: 'the system to be at rest' },
  );
}

/** `npm run rebuild-projections` as an operator runs it (over the built dist), with this environment and arguments. */
export function rebuildProjections(env: Record<string, string>, args: readonly string[] = []): Promise<ProcessRun> {
  if (!existsSync(REBUILD_PROJECTIONS)) throw new Error(`${REBUILD_PROJECTIONS} is missing: run npm run build first`);
  return runProcess([process.execPath, REBUILD_PROJECTIONS, ...args], { cwd: root, env: { LOG_LEVEL: 'warn', ...env } });
}

/**
 * Two worlds at work together: in `<prefix>a` an update rolls one instance at a time over 6 instances and
 * succeeds; in `<prefix>b` an update whose image never starts trips the breaker and rolls back; an alarm changes
 * state. Meanwhile the gateway's read models are rebuilt `rebuilds` times, while a reader keeps asking: every answer
 * is 200, and a deployment's version never goes back. Resolves at rest, with the clusters to compare.
 */
export async function rebuildDuringActivity(client: JsonClient, store: EventStore, prefix: string, rebuilds = 3): Promise<{ clusters: string[]; reports: Json[]; reads: number }> {
  const a = new FleetWorld(client, store, `${prefix}a`);
  const b = new FleetWorld(client, store, `${prefix}b`);
  const settings = (w: FleetWorld, revision: number, drainPercent: number) => ({
    daemonTaskDefinitionArn: `${w.cluster}-agent:${revision}`,
    capacityProviderArns: [w.provider()],
    deploymentConfiguration: { drainPercent },
  });
  for (const w of [a, b]) {
    await w.create();
    await w.service('web', 6);
    await w.watch((await w.createDaemon('agent', settings(w, 1, 50))).deploymentId, 'SUCCESSFUL');
  }
  const alarm = `${prefix}-cpu`;
  expect((await client.put(`/v1/alarms/${alarm}`, { namespace: 'AWS/ECS', metricName: 'NothingReportsThis', statistic: 'Sum', period: 60, evaluationPeriods: 1, threshold: 1, comparisonOperator: 'GreaterThanThreshold', treatMissingData: 'ignore' })).status).toBe(200);

  const fault = await b.fault(2, 1);
  const rolling = await a.updateDaemon('agent', settings(a, 2, 17));
  const rollingBack = await b.updateDaemon('agent', settings(b, 2, 50));

  // The reader: Describe of both deployments and the fleet's lists, all the time, each answer whole.
  let reading = true;
  let reads = 0;
  const versions = new Map<string, number>();
  const reader = (async () => {
    while (reading) {
      for (const id of [rolling.deploymentId, rollingBack.deploymentId]) {
        const { status, body, headers } = await client.get(`/v1/deployments/${id}`);
        expect({ status, type: body.__type }).toEqual({ status: 200, type: undefined });
        const version = Number(headers.get('x-daemonfleet-deployment-version'));
        expect(version, `the version of deployment ${id}`).toBeGreaterThanOrEqual(versions.get(id) ?? 0);
        versions.set(id, version);
      }
      const instances = await client.get(`/v1/clusters/${a.cluster}/container-instances`);
      expect(instances.status).toBe(200);
      expect(instances.body.containerInstanceArns.length).toBeGreaterThanOrEqual(6);
      reads++;
    }
  })();

  const reports: Json[] = [];
  try {
    await a.watch(rolling.deploymentId, 'IN_PROGRESS');
    for (let i = 0; i < rebuilds; i++) {
      const { status, body } = await client.post('/v1/projections/rebuild', {});
      expect(status).toBe(200);
      // With where the rolling deployment stood once the rebuilt read models took over.
      reports.push({ ...body, rolling: (await client.get(`/v1/deployments/${rolling.deploymentId}`)).body.daemonDeployment.status });
    }
    await b.watch(rollingBack.deploymentId, 'ROLLBACK_SUCCESSFUL');
    expect((await client.put(`/v1/alarms/${alarm}/state`, { stateValue: 'ALARM', stateReason: 'rebuild under way' })).status).toBe(200);
    await a.watch(rolling.deploymentId, 'SUCCESSFUL');
  } finally {
    reading = false;
    await reader;
  }
  await b.removeFault(fault);
  await untilQuiet(store);
  // The rebuilds ran during the activity, not after it.
  expect(reports[0].rolling).toBe('IN_PROGRESS');
  return { clusters: [a.cluster, b.cluster], reports, reads };
}
