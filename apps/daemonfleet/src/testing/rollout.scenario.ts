import { describe, expect, it } from 'vitest';
import { FleetWorld, idOf, maxDraining } from './fleet-world.js';
import type { SystemUnderTest } from './first-flow.scenario.js';
import type { Json } from './http-client.js';
import { expectNoApplicationTaskLost, expectNoInstanceDrainedTwice, maxConcurrentDrains } from './rollout-checks.js';

/**
 * The rollout scenarios of spec 3.3, over HTTP against the whole system, checked through the API (statuses,
 * statusReason, timestamps, counts sampled during the rollout, the instances' revisions, services' running counts)
 * and through the event store (no instance drained twice, no application task lost).
 */
export function rolloutScenarios(system: () => SystemUnderTest): void {
  let worlds = 0;
  const world = async (options?: { providers?: string[] }) => {
    const { client, store } = system();
    const created = new FleetWorld(client, store, `roll${++worlds}`);
    await created.create(options);
    return created;
  };
  const settings = (w: FleetWorld, revision: number, extra: Json = {}) => ({
    daemonTaskDefinitionArn: `${w.cluster}-agent:${revision}`,
    capacityProviderArns: [w.provider()],
    ...extra,
  });

  it('rolls a new daemon over a provider with running instances, two at a time at drainPercent 25, services untouched', async () => {
    const w = await world();
    await w.service('web', 8);
    const before = (await w.instances()).map((i) => i.ec2InstanceId);
    const { deploymentId } = await w.createDaemon('agent', settings(w, 1, { deploymentConfiguration: { drainPercent: 25 } }));

    const { final, samples } = await w.watch(deploymentId, 'SUCCESSFUL');
    // Instances without the daemon belong to no revision, so the API's draining counts cannot show them (spec
    // 3.10): the fleet's events can.
    expect(await maxConcurrentDrains(w, deploymentId)).toBe(2);
    for (const sample of samples) {
      // An instance is running or without the daemon, never both, and never more of them than the fleet has.
      const total = (r: Json) => r.totalRunningInstanceCount + r.totalWithoutDaemonInstanceCount;
      expect(total(sample.targetDaemonRevision)).toBeLessThanOrEqual(8 + 2);
      expect(sample.targetDaemonRevision.totalWithoutDaemonInstanceCount).toBe(0);
    }
    expect(final).toMatchObject({
      statusReason: 'Deployment completed successfully.',
      targetDaemonRevision: { totalRunningInstanceCount: 8, totalDrainingInstanceCount: 0, totalWithoutDaemonInstanceCount: 0 },
      circuitBreaker: { failureCount: 0, status: 'MONITORING_COMPLETE', threshold: 10 },
    });
    expect(final.finishedAt).toBeGreaterThan(final.startedAt);

    const after = await w.instances();
    expect(after).toHaveLength(8);
    expect(after.every((i) => i.status === 'ACTIVE')).toBe(true);
    expect(after.map((i) => i.ec2InstanceId).filter((id) => before.includes(id))).toEqual([]);
    const tasks = await w.daemonTasks('agent');
    expect(tasks).toHaveLength(8);
    expect(new Set(tasks.map((t) => t.containerInstanceArn)).size).toBe(8);
    expect(tasks.every((t) => t.lastStatus === 'RUNNING' && t.startedBy === 'daemon/agent')).toBe(true);
    await w.serviceSteady('web', 8);
    const daemon = (await w.client.get(`/v1/daemons/${w.cluster}/agent`)).body.daemon;
    expect(daemon.currentRevisions).toEqual([expect.objectContaining({ arn: final.targetDaemonRevision.arn, totalRunningCount: 8, totalWithoutDaemonCount: 0 })]);

    await expectNoInstanceDrainedTwice(w);
    await expectNoApplicationTaskLost(w, 'web', 8);
  });

  it.each([
    [100, 8],
    [0, 1],
  ])('drains at most the batch at once: drainPercent %i drains %i of 8 at a time', async (drainPercent, batch) => {
    const w = await world();
    await w.service('web', 8);
    const { deploymentId } = await w.createDaemon('agent', settings(w, 1, { deploymentConfiguration: { drainPercent } }));
    await w.watch(deploymentId, 'SUCCESSFUL');
    expect(await maxConcurrentDrains(w, deploymentId)).toBe(batch);
    const requested = (await w.store.readStream(`daemonDeployment-${deploymentId}`)).filter((e) => e.type === 'InstanceDrainsRequested');
    expect(requested.map((e) => (e.data as Json).instances.length)).toEqual(Array(8 / batch).fill(batch));
    await expectNoApplicationTaskLost(w, 'web', 8);
  });

  it('updates to a new task definition revision: every instance moves from the source to the target revision', async () => {
    const w = await world();
    await w.service('web', 6);
    const first = await w.createDaemon('agent', settings(w, 1, { deploymentConfiguration: { drainPercent: 50 } }));
    const source = (await w.watch(first.deploymentId, 'SUCCESSFUL')).final.targetDaemonRevision.arn;

    const update = await w.updateDaemon('agent', settings(w, 2, { deploymentConfiguration: { drainPercent: 50 } }));
    expect(update.body).toMatchObject({ status: 'ACTIVE', deploymentArn: expect.stringContaining(update.deploymentId) });
    const { final, samples } = await w.watch(update.deploymentId, 'SUCCESSFUL');
    expect(maxDraining(samples)).toBeGreaterThan(0);
    expect(maxDraining(samples)).toBeLessThanOrEqual(3);
    expect(await maxConcurrentDrains(w, update.deploymentId)).toBe(3);
    for (const sample of samples.filter((s) => s.status === 'IN_PROGRESS')) {
      const sourceNow = sample.sourceDaemonRevisions.find((r: Json) => r.arn === source);
      expect(sample.targetDaemonRevision.totalRunningInstanceCount + (sourceNow?.totalRunningInstanceCount ?? 0)).toBeGreaterThanOrEqual(6);
    }
    expect(final.sourceDaemonRevisions).toEqual([expect.objectContaining({ arn: source, totalRunningInstanceCount: 0 })]);
    expect(final.targetDaemonRevision.totalRunningInstanceCount).toBe(6);
    const tasks = await w.daemonTasks('agent');
    expect(tasks.every((t) => t.taskDefinitionArn.endsWith(`${w.cluster}-agent:2`))).toBe(true);
    await expectNoInstanceDrainedTwice(w);
    await expectNoApplicationTaskLost(w, 'web', 6);
  });

  it('adds a capacity provider without cycling the instances that already match (decision 12)', async () => {
    const w = await world({ providers: ['mi', 'mi2'] });
    await w.service('web', 3);
    await w.service('api', 3, 'mi2');
    const first = await w.createDaemon('agent', settings(w, 1));
    await w.watch(first.deploymentId, 'SUCCESSFUL');
    const drainsBefore = (await w.fleetEvents()).filter((e) => e.type === 'InstanceDrainStarted').length;

    const update = await w.updateDaemon('agent', settings(w, 1, { capacityProviderArns: [w.provider('mi'), w.provider('mi2')] }));
    const { final } = await w.watch(update.deploymentId, 'SUCCESSFUL');
    const drains = (await w.fleetEvents()).filter((e) => e.type === 'InstanceDrainStarted').slice(drainsBefore);
    const drainedProviders = new Set(drains.map((e) => e.streamId.split('.').at(-1)));
    expect([...drainedProviders]).toEqual([w.provider('mi2')]);
    expect(final.targetDaemonRevision.totalRunningInstanceCount).toBe(6);
    expect((await w.daemonTasks('agent'))).toHaveLength(6);
  });

  it('removes a capacity provider: its instances are replaced by instances without the daemon', async () => {
    const w = await world({ providers: ['mi', 'mi2'] });
    await w.service('web', 2);
    await w.service('api', 2, 'mi2');
    const first = await w.createDaemon('agent', settings(w, 1, { capacityProviderArns: [w.provider('mi'), w.provider('mi2')] }));
    await w.watch(first.deploymentId, 'SUCCESSFUL');

    const update = await w.updateDaemon('agent', settings(w, 1, { capacityProviderArns: [w.provider('mi')] }));
    await w.watch(update.deploymentId, 'SUCCESSFUL');
    const tasks = await w.daemonTasks('agent');
    const instances = await w.instances();
    const onMi2 = instances.filter((i) => i.capacityProviderName === w.provider('mi2')).map((i) => i.containerInstanceArn);
    expect(onMi2).toHaveLength(2);
    expect(tasks.filter((t) => onMi2.includes(t.containerInstanceArn))).toEqual([]);
    expect(tasks).toHaveLength(2);
    await w.serviceSteady('api', 2);
  });

  it('stops a deployment superseded by a second update; the second continues from the mixed fleet', async () => {
    const w = await world();
    await w.service('web', 8);
    const first = await w.createDaemon('agent', settings(w, 1, { deploymentConfiguration: { drainPercent: 25 } }));
    await w.watch(first.deploymentId, 'SUCCESSFUL');

    const second = await w.updateDaemon('agent', settings(w, 2, { deploymentConfiguration: { drainPercent: 0 } }));
    await w.watch(second.deploymentId, 'IN_PROGRESS');
    const third = await w.updateDaemon('agent', settings(w, 3, { deploymentConfiguration: { drainPercent: 50 } }));

    const stopped = await w.deployment(second.deploymentId);
    expect(stopped.status).toBe('STOPPED');
    expect(stopped.statusReason).toMatch(/newer deployment/i);
    expect(stopped.stoppedAt).toBeGreaterThanOrEqual(stopped.startedAt);
    const { final } = await w.watch(third.deploymentId, 'SUCCESSFUL');
    expect(final.targetDaemonRevision.totalRunningInstanceCount).toBe(8);
    expect((await w.daemonTasks('agent')).every((t) => t.taskDefinitionArn.endsWith(`${w.cluster}-agent:3`))).toBe(true);
    await expectNoApplicationTaskLost(w, 'web', 8);
  });

  it('an update whose instances already match finishes without cycling any (decision 12)', async () => {
    const w = await world();
    await w.service('web', 4);
    const first = await w.createDaemon('agent', settings(w, 1));
    await w.watch(first.deploymentId, 'SUCCESSFUL');
    const instancesBefore = (await w.instances()).map((i) => i.containerInstanceArn).sort();

    const update = await w.updateDaemon('agent', settings(w, 1, { enableExecuteCommand: true }));
    const { final } = await w.watch(update.deploymentId, 'SUCCESSFUL');
    expect(final.targetDaemonRevision.totalRunningInstanceCount).toBe(4);
    expect((await w.instances()).map((i) => i.containerInstanceArn).sort()).toEqual(instancesBefore);
    const events = await w.store.readStream(`daemonDeployment-${update.deploymentId}`);
    expect(events.filter((e) => e.type === 'InstanceDrainsRequested')).toEqual([]);
  });

  it('deletes a daemon: DELETE_IN_PROGRESS, a deployment drains it away, then the daemon is gone', async () => {
    const w = await world();
    await w.service('web', 4);
    const first = await w.createDaemon('agent', settings(w, 1, { deploymentConfiguration: { drainPercent: 50 } }));
    await w.watch(first.deploymentId, 'SUCCESSFUL');

    const deleted = await w.client.delete(`/v1/daemons/${w.cluster}/agent`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.status).toBe('DELETE_IN_PROGRESS');
    expect((await w.client.delete(`/v1/daemons/${w.cluster}/agent`)).body.__type).toBe('DaemonNotActiveException');
    const { final } = await w.watch(idOf(deleted.body.deploymentArn), 'SUCCESSFUL');
    expect(final.targetDaemonRevision).toBeUndefined();
    expect(final.sourceDaemonRevisions[0]).toMatchObject({ totalRunningInstanceCount: 0 });

    expect((await w.client.get(`/v1/daemons/${w.cluster}/agent`)).status).toBe(404);
    expect((await w.client.get(`/v1/daemons?clusterArn=${w.cluster}`)).body.daemonSummariesList).toEqual([]);
    expect(await w.daemonTasks('agent')).toEqual([]);
    await w.serviceSteady('web', 4);
    await expectNoApplicationTaskLost(w, 'web', 4);
  });

  it('rolls out a non-critical daemon the same way, with no instance counted without it', async () => {
    const w = await world();
    await w.service('web', 4);
    const { deploymentId } = await w.createDaemon('agent', settings(w, 1, { critical: false }));
    const { final, samples } = await w.watch(deploymentId, 'SUCCESSFUL');
    expect(samples.every((s) => s.targetDaemonRevision.totalWithoutDaemonInstanceCount === 0)).toBe(true);
    expect(final.targetDaemonRevision.totalRunningInstanceCount).toBe(4);
  });

  describe('scale-out (spec 3.9)', () => {
    it('starts the daemon on a new instance before its application tasks', async () => {
      const w = await world();
      const { deploymentId } = await w.createDaemon('agent', settings(w, 1));
      await w.watch(deploymentId, 'SUCCESSFUL');
      await w.service('web', 3);
      const daemonTasks = await w.daemonTasks('agent');
      expect(daemonTasks).toHaveLength(3);
      const { body } = await w.client.get(`/v1/clusters/${w.cluster}/tasks?serviceName=web`);
      for (const taskArn of body.taskArns) {
        const task = (await w.client.get(`/v1/clusters/${w.cluster}/tasks/${idOf(taskArn)}`)).body.task;
        const daemonTask = daemonTasks.find((d) => d.containerInstanceArn === task.containerInstanceArn);
        expect(daemonTask.startedAt).toBeLessThanOrEqual(task.startedAt);
      }
    });
  });
}
