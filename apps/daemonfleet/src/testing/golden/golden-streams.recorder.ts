import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { loadConfig } from '@daemonfleet/service-runtime';
import { eventually } from '@daemonfleet/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbeddedSystem, type EmbeddedSystem } from '../../embedded-system.js';
import { FleetWorld, idOf } from '../fleet-world.js';
import { jsonClient, type Json } from '../http-client.js';

/**
 * Records one representative deployment of each ending (success with a bake, breaker rollback, alarm rollback,
 * superseded, delete) from a real system, with what the gateway answered at its end: the golden streams today's
 * code must fold to the same answer (apps/api-gateway/src/replay/golden-streams.unit.spec.ts). Also writes the
 * derived copies: the breaker rollback tampered with (must fail), and the success as written before
 * DeploymentStarted's schema version 2 (must fold the same).
 */
const FIXTURES = fileURLToPath(new URL('../../../../api-gateway/src/replay/__fixtures__/golden/', import.meta.url));

let dataDir: string;
let system: EmbeddedSystem;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'daemonfleet-golden-'));
  system = await startEmbeddedSystem(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100', METRICS_PERIOD_SECONDS: '86400' }), { host: '127.0.0.1' });
});
afterAll(async () => {
  await system?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const world = async (name: string) => {
  const w = new FleetWorld(jsonClient(system.url), system.eventStore, `golden-${name}`);
  await w.create();
  await w.service('web', 4);
  return w;
};
const settings = (w: FleetWorld, revision: number, deploymentConfiguration: Json = {}) => ({
  daemonTaskDefinitionArn: `${w.cluster}-agent:${revision}`,
  capacityProviderArns: [w.provider()],
  deploymentConfiguration: { drainPercent: 50, ...deploymentConfiguration },
});
const onRevision1 = async (w: FleetWorld) => w.watch((await w.createDaemon('agent', settings(w, 1))).deploymentId, 'SUCCESSFUL');

it('records a successful update with a bake', async () => {
  const w = await world('success');
  await onRevision1(w);
  const update = await w.updateDaemon('agent', settings(w, 2, { bakeTimeInMinutes: 1 }));
  const golden = await record(w, update.deploymentId, 'SUCCESSFUL', 'An update from revision 1 to revision 2 of 4 instances, 2 at a time, baked 1 minute: SUCCESSFUL.');
  write('success', golden);
  // As written before DeploymentStarted had schema version 2: version 1, without timesInAlarmAtStart.
  write('success.schema-v1', {
    ...golden,
    description: `${golden.description} Its DeploymentStarted as schema version 1 wrote it, without timesInAlarmAtStart: upcast on read, it folds the same.`,
    events: golden.events.map((event) => {
      if (event.type !== 'DeploymentStarted') return event;
      const { timesInAlarmAtStart: _dropped, ...data } = event.data as Json;
      return { ...event, data, metadata: { ...event.metadata, schemaVersion: 1 } };
    }),
  });
});

it('records a rollback the circuit breaker started', async () => {
  const w = await world('breaker');
  await onRevision1(w);
  const fault = await w.fault(2, 1);
  const update = await w.updateDaemon('agent', settings(w, 2));
  const golden = await record(w, update.deploymentId, 'ROLLBACK_SUCCESSFUL', 'An update to revision 2, whose image never starts: the circuit breaker trips and the deployment rolls back to revision 1.');
  await w.removeFault(fault);
  write('breaker-rollback', golden);
  const lastCount = golden.events.findLastIndex((event) => event.type === 'CircuitBreakerFailuresRecorded');
  write('breaker-rollback.tampered', {
    ...golden,
    description: 'A tampered copy of breaker-rollback: it must NOT fold to the stored answer.',
    tampering: `event version ${lastCount + 1} (CircuitBreakerFailuresRecorded): failureCount lowered to 9, under the threshold of 10`,
    events: golden.events.map((event, i) => (i === lastCount ? { ...event, data: { ...(event.data as Json), failureCount: 9 } } : event)),
  });
});

it('records a rollback an alarm started during the bake', async () => {
  const w = await world('alarm');
  await onRevision1(w);
  const alarm = `${w.cluster}-manual`;
  const metric = { namespace: 'AWS/ECS', metricName: 'NothingReportsThis', statistic: 'Sum', period: 60, evaluationPeriods: 1, threshold: 1, comparisonOperator: 'GreaterThanThreshold', treatMissingData: 'ignore' };
  expect((await w.client.put(`/v1/alarms/${alarm}`, metric)).status).toBe(200);
  expect((await w.client.put(`/v1/alarms/${alarm}/state`, { stateValue: 'OK', stateReason: 'golden stream' })).status).toBe(200);
  const update = await w.updateDaemon('agent', settings(w, 2, { bakeTimeInMinutes: 5, alarms: { enable: true, alarmNames: [alarm] } }));
  await eventually(async () => expect((await w.store.readStream(`daemonDeployment-${update.deploymentId}`)).some((e) => e.type === 'DeploymentBakeStarted')).toBe(true), { timeoutMs: 30_000 });
  expect((await w.client.put(`/v1/alarms/${alarm}/state`, { stateValue: 'ALARM', stateReason: 'golden stream' })).status).toBe(200);
  write('alarm-rollback', await record(w, update.deploymentId, 'ROLLBACK_SUCCESSFUL', 'An update to revision 2 watching an alarm that goes into ALARM during the bake: the deployment rolls back to revision 1.'));
});

it('records a deployment a newer update superseded', async () => {
  const w = await world('superseded');
  await onRevision1(w);
  const second = await w.updateDaemon('agent', settings(w, 2, { drainPercent: 0 }));
  await w.watch(second.deploymentId, 'IN_PROGRESS');
  const third = await w.updateDaemon('agent', settings(w, 3));
  write('superseded', await record(w, second.deploymentId, 'STOPPED', 'An update to revision 2, one instance at a time, stopped by a newer update to revision 3.'));
  await w.watch(third.deploymentId, 'SUCCESSFUL');
});

it('records the deployment of a delete', async () => {
  const w = await world('delete');
  await onRevision1(w);
  const deleted = await w.client.delete(`/v1/daemons/${w.cluster}/agent`);
  write('delete', await record(w, idOf(deleted.body.deploymentArn), 'SUCCESSFUL', 'DeleteDaemon: the daemon drained off its 4 instances, 2 at a time; then it is removed.'));
});

interface Golden {
  readonly description: string;
  readonly deploymentId: string;
  readonly events: RecordedEvent[];
  /** What the gateway answered once the deployment finished: DescribeDaemonDeployments, and the replay API's progress. */
  readonly expected: { readonly version: number; readonly daemonDeployment: Json; readonly progress: Json };
}

async function record(w: FleetWorld, deploymentId: string, status: string, description: string): Promise<Golden> {
  const { final } = await w.watch(deploymentId, status);
  const events = await w.store.readStream(`daemonDeployment-${deploymentId}`);
  const state = await w.client.get(`/v1/deployments/${deploymentId}/state`);
  expect(state.body.daemonDeployment).toEqual(final);
  return { description, deploymentId, events, expected: { version: events.length, daemonDeployment: final, progress: state.body.progress } };
}

function write(name: string, golden: Golden & { tampering?: string }): void {
  writeFileSync(join(FIXTURES, `${name}.json`), `${JSON.stringify(golden, null, 2)}\n`);
}
