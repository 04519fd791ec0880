import { Streams, Subjects, type DeploymentEvent, type FleetEvent } from '@daemonfleet/contracts';
import type { DeploymentState } from '@daemonfleet/domain';
import { eventually } from '@daemonfleet/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { arn, idOf, OrchestratorHarness, scope } from '../testing/orchestrator-harness.js';

/**
 * The deployment's guards (spec 3.4–3.8) over a real in-memory store and the in-process transport: a fake fleet
 * whose daemon tasks of chosen task definitions fail to start, and alarm state changes appended to the store as
 * the alarm monitor appends them. TIME_SCALE 600: a bake of 5 minutes lasts 0.5 s.
 */
describe('deployment orchestrator: circuit breaker, alarms and rollback', () => {
  let h: OrchestratorHarness;
  beforeEach(async () => {
    h = await OrchestratorHarness.start();
  });
  afterEach(() => h.close());

  describe('circuit breaker (decision 1)', () => {
    it('rolls back to the previous revision, the same batchSize at a time, and restores it on the daemon', async () => {
      const { first } = await daemonOnGoodRevision(4);
      const td2 = await h.registerTaskDefinition('agent', 'agent:2.0-broken');
      h.fleet.failStarts(td2);
      const update = await updateDaemon(td2, { drainPercent: 50 });

      const final = await finishedAs(update, 'ROLLBACK_SUCCESSFUL');
      const failures = final.circuitBreaker.failureCount;
      expect(final).toMatchObject({
        batchSize: 2,
        stopReason: 'CIRCUIT_BREAKER',
        circuitBreaker: { threshold: 10 },
        statusReason: `The circuit breaker stopped the deployment: ${failures} daemon task starts of the target revision failed (threshold 10). Rolled back: every instance in scope runs revision ${first} again.`,
        rollback: {
          reason: `The circuit breaker initiated the rollback: ${failures} daemon task starts of the target revision failed (threshold 10).`,
          rollbackTargetDaemonRevisionArn: first,
          rollbackCapacityProviders: [h.fleet.providerArn('mi')],
        },
      });
      expect(failures).toBeGreaterThanOrEqual(10);
      expect(final.finishedAt).toBeGreaterThanOrEqual(final.rollback.startedAt);
      expect(h.daemonTasks(daemonArn)).toEqual(Array(4).fill(expect.objectContaining({ daemonRevisionArn: first, status: 'RUNNING' })));
      // Never more than batchSize instances draining: the rollback drained nothing more, the replacements stuck on the
      // target were retried with the previous revision once it was restored on the daemon, and came up on it.
      expect(await mostDraining(update)).toBe(2);
      expect(await retriedRevisions(update)).toEqual(new Set([first]));
      const daemonEvents = await h.store.readStream(Streams.daemon(scope, 'prod', 'monitor'));
      expect(daemonEvents.at(-1)).toMatchObject({ type: 'DaemonRevisionRestored', data: { revisionArn: first, deploymentId: update } });
      expect(await typesOf(update)).toEqual(expect.arrayContaining(['CircuitBreakerFailuresRecorded', 'DeploymentStopRequested', 'DeploymentRollbackStarted', 'DeploymentRolledBack']));
    });

    it('ends ROLLBACK_FAILED when the previous revision fails to start too', async () => {
      const { td1, first } = await daemonOnGoodRevision(4);
      const td2 = await h.registerTaskDefinition('agent', 'agent:2.0-broken');
      h.fleet.failStarts(td2);
      // The instances already running it are fine; new starts of it fail from now on.
      h.fleet.failStarts(td1);
      const update = await updateDaemon(td2, { drainPercent: 25 });

      const final = await finishedAs(update, 'ROLLBACK_FAILED');
      expect(await mostDraining(update)).toBe(1);
      expect(await retriedRevisions(update)).toEqual(new Set([first]));
      expect(final.statusReason).toMatch(
        new RegExp(`^The circuit breaker stopped the deployment: .* The rollback to revision ${first} failed: \\d+ daemon task starts of that revision failed too \\(threshold 10\\); instances may run a mix of revisions\\.$`),
      );
      expect(final.finishedAt).toBeGreaterThanOrEqual(final.stoppedAt);
    });

    it('counts the failures of a non-critical daemon too: its replacements come up without it, and it is rolled back', async () => {
      const { first } = await daemonOnGoodRevision(3);
      const td2 = await h.registerTaskDefinition('agent', 'agent:2.0-broken');
      h.fleet.failStarts(td2);
      const update = await updateDaemon(td2, { drainPercent: 100 }, { critical: false });

      const final = await finishedAs(update, 'ROLLBACK_SUCCESSFUL');
      expect(final.stopReason).toBe('CIRCUIT_BREAKER');
      // Not held back: the replacements were activated while their non-critical task kept failing.
      const fleetEvents = (await h.fleet.events()) as unknown as FleetEvent[];
      const failedOn = new Set(fleetEvents.flatMap((e) => (e.type === 'DaemonTaskFailedToStart' ? [e.data.instanceId] : [])));
      expect(fleetEvents.some((e) => e.type === 'InstanceActivated' && failedOn.has(e.data.instanceId))).toBe(true);
      expect(h.daemonTasks(daemonArn)).toEqual(Array(3).fill(expect.objectContaining({ daemonRevisionArn: first, status: 'RUNNING' })));
      // ACTIVE, the replacements were drained again for the previous revision, each once the instance it replaced was gone.
      expect(await mostDraining(update)).toBeLessThanOrEqual(3);
      expect(await replacementRevisions(update)).toEqual(new Set([final.targetRevision!.arn, first]));
    });

    it('rolls back a provider the update added: its replacements held back by the target are drained again and come up without the daemon', async () => {
      const { first } = await daemonOnGoodRevision(1);
      await h.fleet.createProvider('mi2');
      await h.fleet.addInstances('mi2', 2);
      await eventually(() => expect(h.fleet.instances('mi2').map((i) => i.status)).toEqual(['ACTIVE', 'ACTIVE']));
      const td2 = await h.registerTaskDefinition('agent', 'agent:2.0-broken');
      h.fleet.failStarts(td2);
      const update = await updateDaemon(td2, { drainPercent: 100 }, { capacityProviderArns: ['mi', 'mi2'] });

      const final = await finishedAs(update, 'ROLLBACK_SUCCESSFUL');
      expect(final).toMatchObject({ batchSize: 3, rollback: { rollbackTargetDaemonRevisionArn: first } });
      expect(h.daemonTasks(daemonArn, 'mi')).toEqual([expect.objectContaining({ daemonRevisionArn: first, status: 'RUNNING' })]);
      expect(h.fleet.instances('mi2').map((i) => [i.status, i.daemonTasks.has(daemonArn)])).toEqual([
        ['ACTIVE', false],
        ['ACTIVE', false],
      ]);
      // The instance on mi came up on the restored revision; the two on mi2, which it does not cover, were redone, each
      // drained beside the instance it replaced: never more than batchSize chains of an instance and its replacements.
      expect(await retriedRevisions(update)).toEqual(new Set([first]));
      expect(await mostDraining(update, { chains: true })).toBe(3);
      const drained = ((await h.fleet.events()) as unknown as FleetEvent[]).flatMap((e) => (e.type === 'InstanceDrainStarted' && e.data.deploymentId === update ? [e.data.instanceId] : []));
      expect(drained).toHaveLength(new Set(drained).size);
      expect(drained).toHaveLength(3 + 2);
    });

    it('stops the daemon’s first deployment, which has no earlier revision to roll back to (decision 6)', async () => {
      await fleetOf(3);
      const td = await h.registerTaskDefinition('agent', 'agent:1.0-broken');
      h.fleet.failStarts(td);
      const reply = await h.send(Subjects.orchestrator.createDaemon, { daemonName: 'monitor', clusterArn: 'prod', daemonTaskDefinitionArn: td, capacityProviderArns: ['mi'] });

      const final = await finishedAs(idOf(reply.result.deploymentArn), 'STOPPED');
      expect(final.stopReason).toBe('CIRCUIT_BREAKER');
      expect(final.statusReason).toMatch(
        /^The circuit breaker stopped the deployment: \d+ daemon task starts of the target revision failed \(threshold 10\)\. There is no earlier revision to roll back to \(no earlier deployment of the daemon succeeded\), so the deployment stopped; instances may run a mix of revisions\.$/,
      );
      expect(await typesOf(idOf(reply.result.deploymentArn))).not.toContain('DeploymentRollbackStarted');
    });
  });

  describe('rollback and the rest of the lifecycle', () => {
    it('resumes a rollback after a restart: the failure counts and the revision to return to are rebuilt from the events', async () => {
      const { first } = await daemonOnGoodRevision(4);
      const td2 = await h.registerTaskDefinition('agent', 'agent:2.0-broken');
      h.fleet.failStarts(td2);
      const update = await updateDaemon(td2, { drainPercent: 25 });
      await eventually(async () => expect(await typesOf(update)).toContain('DeploymentRollbackStarted'));
      await h.stopOrchestrator();
      await h.startOrchestrator();

      await finishedAs(update, 'ROLLBACK_SUCCESSFUL');
      expect(h.daemonTasks(daemonArn)).toEqual(Array(4).fill(expect.objectContaining({ daemonRevisionArn: first, status: 'RUNNING' })));
      expect(await mostDraining(update)).toBe(1);
      const drained = await h.drainedInstances();
      expect(new Set(drained).size).toBe(drained.length);
    });

    it('ends a rollback superseded by an update ROLLBACK_FAILED, never STOPPED (decision 22); the update goes on', async () => {
      await daemonOnGoodRevision(4);
      const td2 = await h.registerTaskDefinition('agent', 'agent:2.0-broken');
      h.fleet.failStarts(td2);
      const update = await updateDaemon(td2, { drainPercent: 25 });
      // Held mid-rollback: the rollback takes dozens of the fleet's ticks, far longer than this poll.
      await eventually(async () => expect((await h.deployment(update)).status).toBe('ROLLBACK_IN_PROGRESS'), { intervalMs: 1 });
      h.fleet.pause();
      const td3 = await h.registerTaskDefinition('agent', 'agent:3.0');
      const newer = await h.send(Subjects.orchestrator.updateDaemon, { daemonArn, daemonTaskDefinitionArn: td3, capacityProviderArns: ['mi'] });
      h.fleet.resume();

      const superseded = await finishedAs(update, 'ROLLBACK_FAILED');
      expect(superseded.statusReason).toContain(`did not finish: a newer deployment of the daemon replaced this one (${newer.result.deploymentArn}).`);
      await finishedAs(idOf(newer.result.deploymentArn), 'SUCCESSFUL');
      expect(h.daemonTasks(daemonArn)).toEqual(Array(4).fill(expect.objectContaining({ daemonTaskDefinitionArn: td3, status: 'RUNNING' })));
    });
  });

  describe('alarms (spec 3.5)', () => {
    it('rolls back when a watched alarm goes into ALARM mid-rollout', async () => {
      const { first } = await daemonOnGoodRevision(4);
      const td2 = await h.registerTaskDefinition('agent', 'agent:2.0');
      h.fleet.pause();
      const update = await updateDaemon(td2, { drainPercent: 25, alarms: { enable: true, alarmNames: ['cpu-high'] } });
      await eventually(async () => expect(await typesOf(update)).toContain('InstanceDrainsRequested'));
      await h.setAlarmState('cpu-high', 'ALARM');
      h.fleet.resume();

      const final = await finishedAs(update, 'ROLLBACK_SUCCESSFUL');
      expect(final).toMatchObject({
        stopReason: 'ALARM',
        alarms: { monitored: ['cpu-high'], triggered: ['cpu-high'] },
        rollback: { reason: "Alarm 'cpu-high' initiated the rollback by going into ALARM.", rollbackTargetDaemonRevisionArn: first },
      });
      expect(final.statusReason).toBe(`Alarm 'cpu-high' went into ALARM and stopped the deployment. Rolled back: every instance in scope runs revision ${first} again.`);
      expect(h.daemonTasks(daemonArn)).toEqual(Array(4).fill(expect.objectContaining({ daemonRevisionArn: first, status: 'RUNNING' })));
    });

    it('interrupts a bake of 5 minutes (0.5 s at TIME_SCALE 600) when an alarm goes into ALARM', async () => {
      const { first } = await daemonOnGoodRevision(2);
      const td2 = await h.registerTaskDefinition('agent', 'agent:2.0');
      const update = await updateDaemon(td2, { drainPercent: 100, bakeTimeInMinutes: 5, alarms: { enable: true, alarmNames: ['cpu-high'] } });
      const bake = await bakeOf(update);
      expect(bake.bakeEndsAt - bake.bakeStartedAt).toBe(500);
      await h.setAlarmState('cpu-high', 'ALARM');

      const final = await finishedAs(update, 'ROLLBACK_SUCCESSFUL');
      const stop = (await typedEvents(update)).find((e) => e.type === 'DeploymentStopRequested');
      expect(stop?.type === 'DeploymentStopRequested' && stop.data.requestedAt).toBeLessThan(bake.bakeEndsAt);
      expect(await typesOf(update)).not.toContain('DeploymentSucceeded');
      expect(final.rollback.rollbackTargetDaemonRevisionArn).toBe(first);
    });

    it('bakes for about its bake time and succeeds when no alarm fires', async () => {
      await daemonOnGoodRevision(2);
      const td2 = await h.registerTaskDefinition('agent', 'agent:2.0');
      const update = await updateDaemon(td2, { drainPercent: 100, bakeTimeInMinutes: 5, alarms: { enable: true, alarmNames: ['cpu-high'] } });
      await h.setAlarmState('cpu-high', 'OK');
      const final = await finishedAs(update, 'SUCCESSFUL');
      const bake = await bakeOf(update);
      expect(final.finishedAt - bake.bakeStartedAt).toBeGreaterThanOrEqual(500);
      expect(final.finishedAt - bake.bakeStartedAt).toBeLessThan(2_000);
    });

    it('ignores an alarm already in ALARM at the start: the deployment succeeds', async () => {
      await daemonOnGoodRevision(2);
      await h.setAlarmState('cpu-high', 'ALARM');
      const td2 = await h.registerTaskDefinition('agent', 'agent:2.0');
      const update = await updateDaemon(td2, { drainPercent: 100, bakeTimeInMinutes: 1, alarms: { enable: true, alarmNames: ['cpu-high'] } });

      const final = await finishedAs(update, 'SUCCESSFUL');
      expect(final.alarms).toEqual({ monitored: ['cpu-high'], ignoredAtStart: ['cpu-high'], timesInAlarmAtStart: { 'cpu-high': 1 }, triggered: [] });
    });

    it('counts an alarm in ALARM at the start once it left ALARM and went back', async () => {
      const { first } = await daemonOnGoodRevision(2);
      await h.setAlarmState('cpu-high', 'ALARM');
      const td2 = await h.registerTaskDefinition('agent', 'agent:2.0');
      const update = await updateDaemon(td2, { drainPercent: 100, bakeTimeInMinutes: 5, alarms: { enable: true, alarmNames: ['cpu-high'] } });
      await bakeOf(update);
      await h.setAlarmState('cpu-high', 'OK');
      await h.setAlarmState('cpu-high', 'ALARM');

      const final = await finishedAs(update, 'ROLLBACK_SUCCESSFUL');
      expect(final.alarms).toMatchObject({ ignoredAtStart: ['cpu-high'], triggered: ['cpu-high'] });
      expect(final.rollback.rollbackTargetDaemonRevisionArn).toBe(first);
    });

    it('reads alarm names per account and region: an alarm of the same name elsewhere is not watched', async () => {
      await daemonOnGoodRevision(2);
      const td2 = await h.registerTaskDefinition('agent', 'agent:2.0');
      const update = await updateDaemon(td2, { drainPercent: 100, bakeTimeInMinutes: 1, alarms: { enable: true, alarmNames: ['cpu-high'] } });
      const elsewhere = { accountId: '210987654321', region: scope.region };
      const metadata = { eventId: 'alarm-elsewhere', occurredAt: new Date().toISOString(), schemaVersion: 1 };
      const changed = { alarmName: 'cpu-high', alarmArn: 'arn:aws:cloudwatch:us-east-1:210987654321:alarm:cpu-high', previousState: 'OK', state: 'ALARM', reason: 'elsewhere', cause: 'SET_ALARM_STATE', changedAt: Date.now() };
      await h.store.appendToStream(Streams.alarm(elsewhere, 'cpu-high'), [{ type: 'AlarmStateChanged', data: changed, metadata }], { expectedVersion: 'any' });
      await finishedAs(update, 'SUCCESSFUL');
    });
  });

  // Fixtures and helpers last.
  const daemonArn = arn('daemon/prod/monitor');
  type Finished<S extends DeploymentState['status']> = Extract<DeploymentState, { status: S }>;

  async function fleetOf(count: number): Promise<void> {
    await h.fleet.createProvider('mi');
    await h.fleet.addInstances('mi', count);
    await eventually(() => expect(h.fleet.instances().every((i) => i.status === 'ACTIVE')).toBe(true));
  }

  /** A daemon whose first deployment of agent:1.0 succeeded over `count` instances: that revision is what a rollback returns to. */
  async function daemonOnGoodRevision(count: number): Promise<{ td1: string; first: string }> {
    await fleetOf(count);
    const td1 = await h.registerTaskDefinition('agent', 'agent:1.0');
    const reply = await h.send(Subjects.orchestrator.createDaemon, { daemonName: 'monitor', clusterArn: 'prod', daemonTaskDefinitionArn: td1, capacityProviderArns: ['mi'] });
    const final = await finishedAs(idOf(reply.result.deploymentArn), 'SUCCESSFUL');
    return { td1, first: final.targetRevision!.arn };
  }

  async function updateDaemon(td: string, deploymentConfiguration: object, settings: object = {}): Promise<string> {
    const reply = await h.send(Subjects.orchestrator.updateDaemon, { daemonArn, daemonTaskDefinitionArn: td, capacityProviderArns: ['mi'], deploymentConfiguration, ...settings });
    return idOf(reply.result.deploymentArn);
  }

  function finishedAs<S extends DeploymentState['status']>(deploymentId: string, status: S): Promise<Finished<S>> {
    return eventually(
      async () => {
        const state = await h.deployment(deploymentId);
        if (state.status === 'NONE' || !['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'].includes(state.status))
          throw new Error(`deployment ${deploymentId} is ${state.status}`);
        return state;
      },
      { timeoutMs: 20_000, what: `deployment ${deploymentId} to finish` },
    ).then((state) => {
      expect(state.status).toBe(status);
      return state as Finished<S>;
    });
  }

  async function typedEvents(deploymentId: string): Promise<DeploymentEvent[]> {
    return (await h.deploymentEvents(deploymentId)) as unknown as DeploymentEvent[];
  }

  async function typesOf(deploymentId: string): Promise<string[]> {
    return (await typedEvents(deploymentId)).map((e) => e.type);
  }

  function bakeOf(deploymentId: string): Promise<{ bakeStartedAt: number; bakeEndsAt: number }> {
    return eventually(async () => {
      const bake = (await typedEvents(deploymentId)).find((e) => e.type === 'DeploymentBakeStarted');
      if (bake?.type !== 'DeploymentBakeStarted') throw new Error('no bake yet');
      return bake.data;
    });
  }

  /**
   * The most instances the fleet ever showed draining for the deployment at once, replaying its events; by chains:
   * an instance drained while its own replacement drains too (a rollback redid it) counts once with it.
   */
  async function mostDraining(deploymentId: string, { chains = false } = {}): Promise<number> {
    const draining = new Set<string>();
    const replaces = new Map<string, string>();
    let most = 0;
    for (const event of (await h.fleet.events()) as unknown as FleetEvent[]) {
      if (event.type === 'InstanceProvisioningStarted' && event.data.deploymentId === deploymentId && event.data.replacesInstanceId)
        replaces.set(event.data.instanceId, event.data.replacesInstanceId);
      if (event.type === 'InstanceDrainStarted' && event.data.deploymentId === deploymentId) draining.add(event.data.instanceId);
      if (event.type === 'InstanceDeregistered') draining.delete(event.data.instanceId);
      most = Math.max(most, chains ? [...draining].filter((id) => !draining.has(replaces.get(id) ?? '')).length : draining.size);
    }
    return most;
  }

  /** The revisions the fleet's retries launched on the deployment's replacements instead of the one that failed there. */
  async function retriedRevisions(deploymentId: string): Promise<Set<string>> {
    const events = (await h.fleet.events()) as unknown as FleetEvent[];
    const replacements = new Set(events.flatMap((e) => (e.type === 'InstanceProvisioningStarted' && e.data.deploymentId === deploymentId ? [e.data.instanceId] : [])));
    const failed = new Map<string, string>();
    const retried = new Set<string>();
    for (const e of events) {
      if (e.type !== 'DaemonTaskFailedToStart' && e.type !== 'DaemonTaskLaunched') continue;
      const { instanceId, daemon } = e.data;
      if (!replacements.has(instanceId) || daemon.daemonArn !== daemonArn) continue;
      if (e.type === 'DaemonTaskFailedToStart') failed.set(instanceId, daemon.daemonRevisionArn);
      else if (failed.has(instanceId) && failed.get(instanceId) !== daemon.daemonRevisionArn) retried.add(daemon.daemonRevisionArn);
    }
    return retried;
  }

  /** The revisions of the daemon the deployment's replacements were launched with. */
  async function replacementRevisions(deploymentId: string): Promise<Set<string>> {
    const events = (await h.fleet.events()) as unknown as FleetEvent[];
    return new Set(
      events.flatMap((e) =>
        e.type === 'InstanceProvisioningStarted' && e.data.deploymentId === deploymentId ? e.data.daemons.filter((d) => d.daemonArn === daemonArn).map((d) => d.daemonRevisionArn) : [],
      ),
    );
  }
});
