import { eventually } from '@daemonfleet/testing';
import { expect, it } from 'vitest';
import { FleetWorld } from './fleet-world.js';
import type { SystemUnderTest } from './first-flow.scenario.js';
import type { Json } from './http-client.js';
import { expectNoApplicationTaskLost, expectNoInstanceDrainedTwice, maxConcurrentDrains } from './rollout-checks.js';

/**
 * The deployment's guards end to end (issue: safety): the circuit breaker with a failing image, alarms fed by the
 * fleet's own metric or set by hand (before the start, during the rollout, during the bake), rollbacks that succeed
 * or fail, a first deployment that cannot roll back, and a non-critical daemon that fails. After each, the
 * instances' revisions and the services' running counts are checked, not only the status.
 */
export function safetyScenarios(system: () => SystemUnderTest): void {
  let worlds = 0;
  const world = async () => {
    const { client, store } = system();
    const created = new FleetWorld(client, store, `safe${++worlds}`);
    await created.create();
    return created;
  };
  const settings = (w: FleetWorld, revision: number, extra: Json = {}) => ({
    daemonTaskDefinitionArn: `${w.cluster}-agent:${revision}`,
    capacityProviderArns: [w.provider()],
    ...extra,
  });
  /** A world whose 6 instances run revision 1 of the daemon, after a successful first deployment. */
  const worldOnRevision1 = async () => {
    const w = await world();
    await w.service('web', 6);
    const first = await w.createDaemon('agent', settings(w, 1, { deploymentConfiguration: { drainPercent: 50 } }));
    const { final } = await w.watch(first.deploymentId, 'SUCCESSFUL');
    return { w, revision1: final.targetDaemonRevision.arn as string };
  };

  it('rolls back when the circuit breaker trips on a failing image, within the batch budget', async () => {
    const { w, revision1 } = await worldOnRevision1();
    const fault = await w.fault(2, 1);
    const update = await w.updateDaemon('agent', settings(w, 2, { deploymentConfiguration: { drainPercent: 50 } }));
    const { final } = await w.watch(update.deploymentId, 'ROLLBACK_SUCCESSFUL');
    await w.removeFault(fault);

    expect(final.circuitBreaker).toMatchObject({ status: 'TRIGGERED', threshold: 10 });
    expect(final.circuitBreaker.failureCount).toBeGreaterThanOrEqual(10);
    expect(final.rollback).toMatchObject({ rollbackTargetDaemonRevisionArn: revision1, rollbackCapacityProviders: [expect.stringContaining(w.provider())] });
    expect(final.rollback.reason).toMatch(/circuit breaker/i);
    expect(final.statusReason).toMatch(/circuit breaker/i);
    expect(final.rollback.startedAt).toBeGreaterThanOrEqual(final.startedAt);
    expect(final.finishedAt).toBeGreaterThanOrEqual(final.rollback.startedAt);
    const types = (await w.store.readStream(`daemonDeployment-${update.deploymentId}`)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['DeploymentStopRequested', 'DeploymentRollbackStarted', 'DeploymentRolledBack']));
    expect(types.indexOf('DeploymentStopRequested')).toBeLessThan(types.indexOf('DeploymentRollbackStarted'));

    expect(await maxConcurrentDrains(w, update.deploymentId)).toBeLessThanOrEqual(3);
    await expectEveryInstanceOn(w, revision1, 6);
    await w.serviceSteady('web', 6);
    await expectNoApplicationTaskLost(w, 'web', 6);
    await expectNoInstanceDrainedTwice(w);
  });

  it('rolls back when a metric alarm fed by the fleet’s own CPU metric goes into ALARM', async () => {
    const { w, revision1 } = await worldOnRevision1();
    const hot = await w.client.post('/v1/daemon-task-definitions', {
      family: `${w.cluster}-agent`,
      containerDefinitions: [{ name: 'agent', image: w.image(9), environment: [{ name: 'DAEMONFLEET_SIMULATED_CPU_PERCENT', value: '95' }] }],
    });
    const hotRevision = hot.body.daemonTaskDefinition.revision;
    await putAlarm(w, `${w.cluster}-cpu`, { metricName: 'CPUUtilization', statistic: 'Average', threshold: 80, comparisonOperator: 'GreaterThanThreshold' });

    // The bake is what catches a revision whose metric turns bad once it runs: the fleet reports every period.
    const update = await w.updateDaemon(
      'agent',
      settings(w, hotRevision, { deploymentConfiguration: { drainPercent: 50, bakeTimeInMinutes: 5, alarms: { enable: true, alarmNames: [`${w.cluster}-cpu`] } } }),
    );
    const { final } = await w.watch(update.deploymentId, 'ROLLBACK_SUCCESSFUL');
    expect(final.alarms).toMatchObject({ status: 'TRIGGERED', alarmNames: [`${w.cluster}-cpu`], triggeredAlarmNames: [`${w.cluster}-cpu`] });
    expect(final.rollback.reason).toContain(`${w.cluster}-cpu`);
    expect(final.statusReason).toContain(`${w.cluster}-cpu`);
    const history = await w.client.get(`/v1/alarms/${w.cluster}-cpu/history`);
    expect(history.body.alarmHistoryItems.some((item: Json) => /OK|INSUFFICIENT_DATA/.test(item.historySummary) && /ALARM/.test(item.historySummary))).toBe(true);
    await expectEveryInstanceOn(w, revision1, 6);
    await w.serviceSteady('web', 6);
    await expectNoApplicationTaskLost(w, 'web', 6);
  });

  it('rolls back when an alarm fires during the bake; a 5-minute bake lasts about half a second at TIME_SCALE 600', async () => {
    const { w, revision1 } = await worldOnRevision1();
    const alarm = `${w.cluster}-manual`;
    await putAlarm(w, alarm, { metricName: 'NothingReportsThis', statistic: 'Sum', threshold: 1, comparisonOperator: 'GreaterThanThreshold', treatMissingData: 'ignore' });
    await setAlarm(w, alarm, 'OK');
    const update = await w.updateDaemon('agent', settings(w, 2, { deploymentConfiguration: { drainPercent: 50, bakeTimeInMinutes: 5, alarms: { enable: true, alarmNames: [alarm] } } }));

    const bake = await eventually(
      async () => {
        const started = (await w.store.readStream(`daemonDeployment-${update.deploymentId}`)).find((e) => e.type === 'DeploymentBakeStarted');
        expect(started).toBeDefined();
        return started!.data as Json;
      },
      { timeoutMs: 30_000, intervalMs: 5, what: 'the bake to start' },
    );
    expect(bake.bakeEndsAt - bake.bakeStartedAt).toBe(500);
    await setAlarm(w, alarm, 'ALARM');
    const { final } = await w.watch(update.deploymentId, 'ROLLBACK_SUCCESSFUL');
    expect(final.alarms.triggeredAlarmNames).toEqual([alarm]);
    await expectEveryInstanceOn(w, revision1, 6);
    await w.serviceSteady('web', 6);
  });

  it('ignores an alarm already in ALARM when the deployment starts: the deployment succeeds', async () => {
    const { w } = await worldOnRevision1();
    const alarm = `${w.cluster}-already`;
    await putAlarm(w, alarm, { metricName: 'NothingReportsThis', statistic: 'Sum', threshold: 1, comparisonOperator: 'GreaterThanThreshold', treatMissingData: 'ignore' });
    await setAlarm(w, alarm, 'ALARM');
    const update = await w.updateDaemon('agent', settings(w, 2, { deploymentConfiguration: { drainPercent: 50, alarms: { enable: true, alarmNames: [alarm] } } }));
    const { final } = await w.watch(update.deploymentId, 'SUCCESSFUL');
    expect(final.alarms).toMatchObject({ status: 'MONITORING_COMPLETE', triggeredAlarmNames: [] });
    await expectEveryInstanceOn(w, final.targetDaemonRevision.arn, 6);
    await w.serviceSteady('web', 6);
  });

  it('ends ROLLBACK_FAILED when the previous revision fails to start too', async () => {
    const { w } = await worldOnRevision1();
    const faults = [await w.fault(1, 1), await w.fault(2, 1)];
    const update = await w.updateDaemon('agent', settings(w, 2, { deploymentConfiguration: { drainPercent: 50 } }));
    const { final } = await w.watch(update.deploymentId, 'ROLLBACK_FAILED');
    for (const fault of faults) await w.removeFault(fault);
    expect(final.statusReason).toMatch(/rollback/i);
    expect(final.statusReason).toMatch(/failed/i);
    expect(final.finishedAt).toBeGreaterThanOrEqual(final.rollback.startedAt);
    // Instances left in service keep their application tasks running.
    await w.serviceSteady('web', 6);
    await expectNoApplicationTaskLost(w, 'web', 6);
  });

  it('stops a first deployment that fails, as there is no earlier revision to roll back to (decision 6)', async () => {
    const w = await world();
    await w.service('web', 4);
    const fault = await w.fault(1, 1);
    const { deploymentId } = await w.createDaemon('agent', settings(w, 1, { deploymentConfiguration: { drainPercent: 50 } }));
    const { final } = await w.watch(deploymentId, 'STOPPED');
    await w.removeFault(fault);
    expect(final.statusReason).toMatch(/no earlier revision/i);
    expect(final.circuitBreaker.status).toBe('TRIGGERED');
    expect(final.rollback).toBeUndefined();
    await w.serviceSteady('web', 4);
    await expectNoApplicationTaskLost(w, 'web', 4);
  });

  it('counts instances of a failing non-critical daemon as without it, while their application tasks keep running', async () => {
    const w = await world();
    await w.service('web', 4);
    const fault = await w.fault(1, 1);
    const { deploymentId } = await w.createDaemon('agent', settings(w, 1, { critical: false, deploymentConfiguration: { drainPercent: 50 } }));
    const { samples } = await w.watch(deploymentId, 'STOPPED');
    expect(samples.some((s) => s.targetDaemonRevision.totalWithoutDaemonInstanceCount > 0)).toBe(true);
    for (const sample of samples) expect(sample.targetDaemonRevision.totalRunningInstanceCount).toBe(0);
    const daemon = (await w.client.get(`/v1/daemons/${w.cluster}/agent`)).body.daemon;
    expect(daemon.currentRevisions[0].totalWithoutDaemonCount).toBeGreaterThan(0);
    expect(daemon.currentRevisions[0].totalRunningCount).toBe(0);
    await w.removeFault(fault);
    await w.serviceSteady('web', 4);
    await expectNoApplicationTaskLost(w, 'web', 4);
  });
}

async function putAlarm(w: FleetWorld, name: string, spec: Json): Promise<void> {
  const put = await w.client.put(`/v1/alarms/${encodeURIComponent(name)}`, {
    namespace: 'AWS/ECS',
    dimensions: [
      { name: 'ClusterName', value: w.cluster },
      { name: 'ServiceName', value: 'daemon:agent' },
    ],
    period: 60,
    evaluationPeriods: 1,
    ...spec,
  });
  expect(put.status).toBe(200);
}

async function setAlarm(w: FleetWorld, name: string, stateValue: string): Promise<void> {
  const set = await w.client.put(`/v1/alarms/${encodeURIComponent(name)}/state`, { stateValue, stateReason: 'set by the test' });
  expect(set.status).toBe(200);
}

/** Every instance of the world runs the daemon at `revisionArn`, and there are `count` of them. */
async function expectEveryInstanceOn(w: FleetWorld, revisionArn: string, count: number): Promise<void> {
  await eventually(async () => {
    const tasks = await w.daemonTasks('agent');
    expect(tasks).toHaveLength(count);
    const revisions = tasks.map((t) => t.attributes?.find((a: Json) => a.name === 'daemonfleet.daemon-revision')?.value);
    expect(new Set(revisions)).toEqual(new Set([revisionArn]));
    expect(tasks.every((t) => t.lastStatus === 'RUNNING')).toBe(true);
  });
}
