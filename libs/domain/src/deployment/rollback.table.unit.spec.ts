import type { DeploymentEvent } from '@daemonfleet/contracts';
import { describe, expect, it } from 'vitest';
import { mi, previous } from './testing/deployment-fixtures.js';
import { RolloutHarness, created, daemonArn, planned, target } from './testing/rollout-harness.js';
import { SimulatedFleet } from './testing/simulated-fleet.js';

describe('the breaker rollback against a fleet (spec 3.6, 3.7)', () => {
  it.each([
    // [drainPercent, batch size]
    [25, 2],
    [100, 8],
    [0, 1],
    [50, 4],
  ])('8 instances at drainPercent %i: the target cannot start, the rollback drains at most %i instances at a time and restores every instance', (drainPercent, size) => {
    const rollout = breakerRollout(drainPercent, { critical: true });
    let most = 0;
    const final = rollout.runToEnd({
      onRound: () => {
        if (rollout.state.status !== 'ROLLBACK_IN_PROGRESS') return;
        expect(rollout.draining()).toBeLessThanOrEqual(size);
        most = Math.max(most, rollout.draining());
      },
    });
    expect(final).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', batchSize: size, circuitBreaker: { threshold: 10 } });
    // The replacements of one batch fail side by side: the count that trips the breaker may pass the threshold.
    expect(final.status === 'ROLLBACK_SUCCESSFUL' && final.circuitBreaker.failureCount).toBeGreaterThanOrEqual(10);
    expect(most).toBe(size);
    // The rollback takes over the stuck batch without draining anything more in it: its replacements, held back by
    // the target, are retried with the restored revision and come up on it. Each batch it opens holds at most batchSize.
    const rollbackStart = rollout.events.findIndex((e) => e.type === 'DeploymentRollbackStarted');
    const requestedBefore = batches(rollout.events.slice(0, rollbackStart));
    const takenOver = Math.max(...requestedBefore.map(([batch]) => batch));
    const opened = batches(rollout.events.slice(rollbackStart));
    expect(opened.filter(([batch]) => batch === takenOver)).toEqual([]);
    for (const [, instances] of opened) expect(instances).toBeLessThanOrEqual(size);
    expect(relaunchedOnPrevious(rollout)).toBe(size);
    expectEveryInstanceOnPrevious(rollout);
  });

  it('counts the failures of a non-critical target too: its instances come up without the daemon, and the breaker rolls them back', () => {
    const rollout = breakerRollout(25, { critical: false });
    // Active, their replacements are redone (drained again for the previous revision) once their member is gone.
    const final = rollout.runToEnd({ onRound: () => expect(rollout.draining()).toBeLessThanOrEqual(2) });
    expect(final).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', stopReason: 'CIRCUIT_BREAKER' });
    // Not held back: the replacements were activated while their non-critical task kept failing; the rollback redid them.
    const failedOn = new Set(rollout.fleet.log.flatMap(({ event }) => (event.type === 'DaemonTaskFailedToStart' ? [event.data.instanceId] : [])));
    const activated = rollout.fleet.log.filter(({ event }) => event.type === 'InstanceActivated' && failedOn.has(event.data.instanceId));
    expect(activated).toHaveLength(2);
    const rollbackStart = rollout.events.findIndex((e) => e.type === 'DeploymentRollbackStarted');
    expect(batches(rollout.events.slice(rollbackStart))).toEqual([[1, 2]]);
    expectEveryInstanceOnPrevious(rollout);
  });

  it('ends ROLLBACK_FAILED when the previous revision cannot start either', () => {
    const rollout = breakerRollout(25, { critical: true });
    rollout.fleet.failing.add(previous.arn);
    const final = rollout.runToEnd({ onRound: () => expect(rollout.draining()).toBeLessThanOrEqual(2) });
    expect(final.status).toBe('ROLLBACK_FAILED');
    expect(final.status === 'ROLLBACK_FAILED' && final.statusReason).toContain(`The rollback to revision ${previous.arn} failed: 10 daemon task starts of that revision failed too`);
  });

  it('ends STOPPED, not rolled back, when there is no earlier revision (decision 6)', () => {
    const fleet = fleetOf(8);
    fleet.failing.add(target().arn);
    const final = new RolloutHarness(fleet, created({}, 25)).runToEnd();
    expect(final).toMatchObject({ status: 'STOPPED', stopReason: 'CIRCUIT_BREAKER' });
  });
});

// Fixtures last.

/** 8 ACTIVE instances on the previous revision, a target whose task fails every start, a previous revision to return to. */
function breakerRollout(drainPercent: number, { critical }: { critical: boolean }): RolloutHarness {
  const fleet = fleetOf(8);
  const failingTarget = target({ critical });
  fleet.failing.add(failingTarget.arn);
  return new RolloutHarness(fleet, created({ targetRevision: failingTarget }, drainPercent), 0, previous);
}

function fleetOf(count: number): SimulatedFleet {
  const fleet = new SimulatedFleet([mi]);
  for (let i = 0; i < count; i++) fleet.settle(fleet.provision(mi, [planned(previous)]));
  return fleet;
}

/** [batch, instances requested in it by these events]. */
function batches(events: readonly DeploymentEvent[]): [number, number][] {
  const sizes = new Map<number, number>();
  for (const e of events) if (e.type === 'InstanceDrainsRequested') sizes.set(e.data.batch, (sizes.get(e.data.batch) ?? 0) + e.data.instances.length);
  return [...sizes];
}

/** Instances whose failed task of the target was retried with the previous revision (the fleet's retry after the restore). */
function relaunchedOnPrevious(rollout: RolloutHarness): number {
  const failedOnTarget = new Set(
    rollout.fleet.log.flatMap(({ event }) => (event.type === 'DaemonTaskFailedToStart' && event.data.daemon.daemonRevisionArn !== previous.arn ? [event.data.instanceId] : [])),
  );
  const relaunched = rollout.fleet.log.flatMap(({ event }) =>
    event.type === 'DaemonTaskLaunched' && failedOnTarget.has(event.data.instanceId) && event.data.daemon.daemonRevisionArn === previous.arn ? [event.data.instanceId] : [],
  );
  return new Set(relaunched).size;
}

function expectEveryInstanceOnPrevious(rollout: RolloutHarness): void {
  for (const instance of rollout.fleet.instances()) rollout.fleet.settle(instance.instanceId);
  const tasks = rollout.fleet.instances().map((i) => i.daemonTasks.get(daemonArn));
  expect(tasks).toHaveLength(8);
  for (const task of tasks) expect([task?.daemon.daemonRevisionArn, task?.status]).toEqual([previous.arn, 'RUNNING']);
}
