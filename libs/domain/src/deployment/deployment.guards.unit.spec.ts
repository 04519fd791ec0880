import type { DeploymentEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { deploymentDecider } from './deployment.decider.js';
import { pendingFleetCommands } from './fleet-commands.js';
import {
  active,
  alarmsTriggered,
  bakeStarted,
  breakerFailures,
  counts,
  createdEvent,
  mi,
  mi2,
  now,
  observe,
  previous,
  replace,
  replaced,
  requested,
  rollbackStarted,
  started,
  stopRequested,
  supersede,
  world,
} from './testing/deployment-fixtures.js';
import { created, daemonArn, deploymentId, placement, planned, target } from './testing/rollout-harness.js';
import type { SimulatedFleet } from './testing/simulated-fleet.js';

const given = DeciderSpecification.for(deploymentDecider);

describe('deployment guards', () => {
  describe('circuit breaker (decision 1)', () => {
    it('records more failed starts of the target revision; the batch keeps waiting', () => {
      const { fleet, a } = stuckBatch();
      return given(forward(a)).when(observe(fleet, { failedStarts: { [target().arn]: 3 } })).then([breakerFailures(3)]);
    });

    it('records nothing when the count did not grow', () => {
      const { fleet, a } = stuckBatch();
      return given([...forward(a), breakerFailures(3)]).when(observe(fleet, { failedStarts: { [target().arn]: 3 } })).thenNothingHappened();
    });

    it('does not count the failures of other revisions', () => {
      const { fleet, a } = stuckBatch();
      return given(forward(a)).when(observe(fleet, { failedStarts: { [previous.arn]: 12, 'arn:other': 40 } })).thenNothingHappened();
    });

    it('trips at the threshold: STOP_REQUESTED, then the rollback, which leaves the replacement stuck on the target to come up on the restored revision', () => {
      const { fleet, a } = stuckBatch();
      return given(forward(a))
        .when(observe(fleet, { failedStarts: { [target().arn]: 10 }, previousRevision: previous }))
        .then([
          breakerFailures(10),
          stopRequested('CIRCUIT_BREAKER', 'The circuit breaker stopped the deployment: 10 daemon task starts of the target revision failed (threshold 10).'),
          rollbackStarted('The circuit breaker initiated the rollback: 10 daemon task starts of the target revision failed (threshold 10).'),
        ]);
    });

    it('redoes a replacement stuck on the target on a provider the revision rolled back to does not cover: no retry can bring it up', () => {
      const { fleet, a, b, wide } = stuckOnUncoveredProvider();
      expect(fleet.instance(b)).toMatchObject({ status: 'REGISTERING', activatedAt: null });
      expect(fleet.instance(b)?.daemonTasks.get(daemonArn)).toMatchObject({ daemon: planned(wide), status: 'STOPPED' });
      const history = [createdEvent({ targetRevision: wide }), started({ n: 1, batch: 1 }), requested(1, [a], mi2)];
      const decided = [
        breakerFailures(10),
        stopRequested('CIRCUIT_BREAKER', breakerStop),
        rollbackStarted('The circuit breaker initiated the rollback: 10 daemon task starts of the target revision failed (threshold 10).', { from: wide }),
        requested(1, [b], mi2),
      ];
      // Its replacement comes up without the daemon, as any new instance of that provider would.
      expect(pendingFleetCommands(fold(deploymentDecider, [...history, ...decided]), { fleets: [...fleet.fleets.values()] })).toEqual([
        { type: 'StartInstanceDrains', data: { deploymentId, capacityProviderArn: mi2, daemonArn, instanceIds: [b], replacementDaemon: null } },
      ]);
      return given(history)
        .when(observe(fleet, { failedStarts: { [wide.arn]: 10 }, previousRevision: previous }))
        .then(decided);
    });

    it('rolls back a flaky target even where it runs in the end, and opens no further forward batch', () => {
      const fleet = world();
      const a = active(fleet, mi, [planned(previous)]);
      active(fleet, mi, [planned(previous)]);
      const b = replace(fleet, a, planned(target()));
      return given([createdEvent(), started({ n: 2, batch: 1 }), requested(1, [a])])
        .when(observe(fleet, { failedStarts: { [target().arn]: 11 }, previousRevision: previous }))
        .then([
          breakerFailures(11),
          stopRequested('CIRCUIT_BREAKER', 'The circuit breaker stopped the deployment: 11 daemon task starts of the target revision failed (threshold 10).'),
          rollbackStarted('The circuit breaker initiated the rollback: 11 daemon task starts of the target revision failed (threshold 10).'),
          requested(1, [b]),
        ]);
    });

    it('stops a deployment with no earlier revision to roll back to (decision 6)', () => {
      const { fleet, a } = stuckBatch();
      return given(forward(a))
        .when(observe(fleet, { failedStarts: { [target().arn]: 10 } }))
        .then([
          breakerFailures(10),
          stopRequested('CIRCUIT_BREAKER', 'The circuit breaker stopped the deployment: 10 daemon task starts of the target revision failed (threshold 10).'),
          {
            type: 'DeploymentStopped',
            data: {
              stoppedAt: now,
              reason: 'CIRCUIT_BREAKER',
              statusReason:
                'The circuit breaker stopped the deployment: 10 daemon task starts of the target revision failed (threshold 10). There is no earlier revision to roll back to (no earlier deployment of the daemon succeeded), so the deployment stopped; instances may run a mix of revisions.',
              finalCounts: [counts(target().arn, mi), counts(previous.arn, mi, { running: 1, draining: 1 })],
            },
          },
        ]);
    });

    it('takes an instance held back by a critical daemon task that cannot start as a candidate: it never becomes ACTIVE by itself', () => {
      const fleet = world();
      fleet.failing.add(previous.arn);
      const x = active(fleet, mi, [planned(previous)]);
      return given([createdEvent()])
        .when(observe(fleet))
        .then([started({ n: 1, batch: 1, counts: [counts(target().arn, mi), counts(previous.arn, mi)] }), requested(1, [x])]);
    });
  });

  describe('alarms (spec 3.5, decision 4)', () => {
    it('keeps baking while no watched alarm is in ALARM', () => {
      const { fleet, events } = baking();
      return given(events).when(observe(fleet, { at: now + 100, alarms: { cpu: { state: 'OK', timesInAlarm: 1 } } })).thenNothingHappened();
    });

    it('stops the bake when a watched alarm goes into ALARM, and rolls back', () => {
      const { fleet, events, b } = baking();
      return given(events)
        .when(observe(fleet, { at: now + 100, alarms: { cpu: { state: 'ALARM', timesInAlarm: 1 } }, previousRevision: previous }))
        .then(alarmRollback(['cpu'], "Alarm 'cpu' went into ALARM and stopped the deployment.", "Alarm 'cpu' initiated the rollback by going into ALARM.", b, now + 100));
    });

    it('rolls back rather than succeed when the bake ends with an alarm in ALARM', () => {
      const { fleet, events, b } = baking();
      return given(events)
        .when(observe(fleet, { at: now + 500, alarms: { cpu: { state: 'ALARM', timesInAlarm: 1 }, errors: { state: 'ALARM', timesInAlarm: 3 } }, previousRevision: previous }))
        .then(
          alarmRollback(
            ['cpu', 'errors'],
            "Alarms 'cpu' and 'errors' went into ALARM and stopped the deployment.",
            "Alarms 'cpu' and 'errors' initiated the rollback by going into ALARM.",
            b,
            now + 500,
          ),
        );
    });

    it.each([
      ['still in the ALARM it was in at the start', { state: 'ALARM', timesInAlarm: 4 }],
      ['out of ALARM since', { state: 'OK', timesInAlarm: 4 }],
    ] as const)('ignores an alarm in ALARM at the start while it is %s', (_, cpu) => {
      const { fleet, events } = baking({ alarmsInAlarmAtStart: ['cpu'], timesInAlarmAtStart: { cpu: 4 } });
      return given(events).when(observe(fleet, { at: now + 100, alarms: { cpu } })).thenNothingHappened();
    });

    it('counts an alarm in ALARM at the start once it left ALARM and went back, however briefly', () => {
      const { fleet, events, b } = baking({ alarmsInAlarmAtStart: ['cpu'], timesInAlarmAtStart: { cpu: 4 } });
      return given(events)
        .when(observe(fleet, { at: now + 100, alarms: { cpu: { state: 'ALARM', timesInAlarm: 5 } }, previousRevision: previous }))
        .then(alarmRollback(['cpu'], "Alarm 'cpu' went into ALARM and stopped the deployment.", "Alarm 'cpu' initiated the rollback by going into ALARM.", b, now + 100));
    });

    it('ignores an alarm in ALARM at the start for as long as it is in ALARM when the start recorded no count (older events)', () => {
      const { fleet, events } = baking({ alarmsInAlarmAtStart: ['cpu'], timesInAlarmAtStart: {} });
      return given(events).when(observe(fleet, { at: now + 100, alarms: { cpu: { state: 'ALARM', timesInAlarm: 9 } } })).thenNothingHappened();
    });

    it('watches no alarm when monitoring is disabled', () => {
      const { fleet, events } = baking({ monitoredAlarmNames: [] });
      return given(events).when(observe(fleet, { at: now + 100, alarms: { cpu: { state: 'ALARM', timesInAlarm: 1 } } })).thenNothingHappened();
    });

    it('stops at once with no earlier revision, naming the alarm (decision 6)', () => {
      const { fleet, events } = baking();
      const [, stopped] = deploymentDecider.decide(observe(fleet, { at: now + 100, alarms: { cpu: { state: 'ALARM', timesInAlarm: 1 } } }), fold(deploymentDecider, events)).slice(1);
      expect(stopped).toMatchObject({
        type: 'DeploymentStopped',
        data: {
          reason: 'ALARM',
          statusReason:
            "Alarm 'cpu' went into ALARM and stopped the deployment. There is no earlier revision to roll back to (no earlier deployment of the daemon succeeded), so the deployment stopped; instances may run a mix of revisions.",
        },
      });
    });

    it('does not watch alarms for a delete deployment: there is nothing to roll back to (decision 7)', () =>
      given([createdEvent({ targetRevision: null, deploymentConfiguration: alarmConfiguration })])
        .when(observe(world(), { alarms: { cpu: { state: 'ALARM', timesInAlarm: 1 } } }))
        .then([started({ n: 0, batch: 1 }), { type: 'DeploymentSucceeded', data: { finishedAt: now, finalCounts: [] } }]));
  });

  describe('ROLLBACK_IN_PROGRESS (spec 3.7)', () => {
    it('drains nothing more while the replacement stuck on the target waits for its retry', () => {
      const { fleet, a } = stuckBatch();
      expect(pendingFleetCommands(fold(deploymentDecider, rollingBack(a)), { fleets: [...fleet.fleets.values()] })).toEqual([]);
      return given(rollingBack(a)).when(observe(fleet, { previousRevision: previous })).thenNothingHappened();
    });

    it('succeeds once the stuck replacement, retried with the restored revision, runs it and the instance it replaces is gone', () => {
      const { fleet, a, b } = stuckBatch();
      restore(fleet, b);
      fleet.settle(a);
      expect(fleet.instance(b)?.daemonTasks.get(daemonArn)).toMatchObject({ daemon: planned(previous), status: 'RUNNING' });
      return given(rollingBack(a))
        .when(observe(fleet, { previousRevision: previous }))
        .then([
          replaced(1, [[a, b]]),
          {
            type: 'DeploymentRolledBack',
            data: {
              finishedAt: now,
              statusReason: `${breakerStop} Rolled back: every instance in scope runs revision ${previous.arn} again.`,
              finalCounts: [counts(target().arn, mi), counts(previous.arn, mi, { running: 1 })],
            },
          },
        ]);
    });

    it('waits for the instance a replacement came up ACTIVE for to be gone before it redoes the replacement', () => {
      const fleet = world();
      const a = active(fleet, mi, [planned(previous)]);
      const b = fleet.drain(fleet.instance(a)!, deploymentId, 3, daemonArn, planned(target()));
      fleet.settle(b);
      return given(forward(a))
        .when(observe(fleet, { failedStarts: { [target().arn]: 10 }, previousRevision: previous }))
        .then([
          breakerFailures(10),
          stopRequested('CIRCUIT_BREAKER', breakerStop),
          rollbackStarted('The circuit breaker initiated the rollback: 10 daemon task starts of the target revision failed (threshold 10).'),
        ]);
    });

    it('sends the drains of a redone replacement with the previous revision as the replacement task', () => {
      const { fleet, a, b } = activeBatch();
      const state = fold(deploymentDecider, redoing(a, b));
      expect(pendingFleetCommands(state, { fleets: [...fleet.fleets.values()] })).toEqual([
        { type: 'StartInstanceDrains', data: { deploymentId, capacityProviderArn: mi, daemonArn, instanceIds: [b], replacementDaemon: planned(previous) } },
      ]);
    });

    it('waits while the redone replacement drains and its own replacement comes up', () => {
      const { fleet, a, b } = activeBatch();
      fleet.drain(fleet.instance(b)!, deploymentId, 8, daemonArn, planned(previous));
      return given(redoing(a, b)).when(observe(fleet, { previousRevision: previous })).thenNothingHappened();
    });

    it('succeeds once the instance and its redone replacement are gone and their last replacement runs the previous revision', () => {
      const { fleet, a, b } = activeBatch();
      const c = fleet.drain(fleet.instance(b)!, deploymentId, 8, daemonArn, planned(previous));
      for (const id of [c, b]) fleet.settle(id);
      return given(redoing(a, b))
        .when(observe(fleet, { previousRevision: previous }))
        .then([
          replaced(1, [[b, c]]),
          {
            type: 'DeploymentRolledBack',
            data: {
              finishedAt: now,
              statusReason: `${breakerStop} Rolled back: every instance in scope runs revision ${previous.arn} again.`,
              finalCounts: [counts(target().arn, mi), counts(previous.arn, mi, { running: 1 })],
            },
          },
        ]);
    });

    it('then rolls back, batchSize at a time, the instances the rollout had already moved', () => {
      const fleet = world();
      const [x, a] = [active(fleet, mi, [planned(previous)]), active(fleet, mi, [planned(previous)])];
      const y = replace(fleet, x, planned(target()));
      fleet.failing.add(target().arn);
      const b = replace(fleet, a, planned(target()));
      restore(fleet, b);
      fleet.settle(a);
      return given([createdEvent(), started({ n: 2, batch: 1 }), requested(1, [x]), replaced(1, [[x, y]]), requested(2, [a]), ...tripped()])
        .when(observe(fleet, { previousRevision: previous }))
        .then([replaced(2, [[a, b]]), requested(3, [y])]);
    });

    it('fails when the previous revision fails to start as often as the breaker allows', () => {
      const { fleet, a } = stuckBatch();
      return given(rollingBack(a))
        .when(observe(fleet, { failedStarts: { [target().arn]: 14, [previous.arn]: 10 }, previousRevision: previous }))
        .then([
          {
            type: 'DeploymentRollbackFailed',
            data: {
              finishedAt: now,
              statusReason: `${breakerStop} The rollback to revision ${previous.arn} failed: 10 daemon task starts of that revision failed too (threshold 10); instances may run a mix of revisions.`,
              finalCounts: [counts(target().arn, mi), counts(previous.arn, mi, { running: 1, draining: 1 })],
            },
          },
        ]);
    });

    it('decides nothing more once rolled back', () => {
      const { fleet, a } = stuckBatch();
      const rolledBack: DeploymentEvent = { type: 'DeploymentRolledBack', data: { finishedAt: now, statusReason: 'done', finalCounts: [] } };
      return given([...rollingBack(a), rolledBack]).when(observe(fleet, { failedStarts: { [previous.arn]: 99 }, previousRevision: previous })).thenNothingHappened();
    });
  });

  describe('superseded by a newer deployment', () => {
    it('stops a deployment whose rollback did not start yet', () => {
      const { a } = stuckBatch();
      return given([...forward(a), ...tripped().slice(0, 2)])
        .when(supersede())
        .then([{ type: 'DeploymentStopped', data: { stoppedAt: now, reason: 'SUPERSEDED', statusReason: 'Stopped: a newer deployment of the daemon replaced this one (arn:newer).', finalCounts: [counts(target().arn, mi)] } }]);
    });

    it('ends a rollback in progress ROLLBACK_FAILED, never STOPPED (decision 22)', () => {
      const { a } = stuckBatch();
      return given(rollingBack(a))
        .when(supersede())
        .then([
          {
            type: 'DeploymentRollbackFailed',
            data: {
              finishedAt: now,
              statusReason: `${breakerStop} The rollback to revision ${previous.arn} did not finish: a newer deployment of the daemon replaced this one (arn:newer).`,
              finalCounts: [counts(target().arn, mi)],
            },
          },
        ]);
    });

    it('ignores a DeploymentStopped met during a rollback (decision 22)', () => {
      const { a } = stuckBatch();
      const stopped: DeploymentEvent = { type: 'DeploymentStopped', data: { stoppedAt: now, reason: 'SUPERSEDED', statusReason: 'x', finalCounts: [] } };
      expect(fold(deploymentDecider, [...rollingBack(a), stopped])).toEqual(fold(deploymentDecider, rollingBack(a)));
    });
  });
});

// Fixtures last.
const breakerStop = 'The circuit breaker stopped the deployment: 10 daemon task starts of the target revision failed (threshold 10).';
const alarmConfiguration = { drainPercent: 25, bakeTimeInMinutes: 5, alarms: { enable: true, alarmNames: ['cpu', 'errors'] } };

/** An instance on the previous revision drained for the target, whose replacement's critical task cannot start. */
function stuckBatch(): { fleet: SimulatedFleet; a: string; b: string } {
  const fleet = world();
  fleet.failing.add(target().arn);
  const a = active(fleet, mi, [planned(previous)]);
  const b = replace(fleet, a, planned(target()));
  return { fleet, a, b };
}

const forward = (a: string): DeploymentEvent[] => [createdEvent(), started({ n: 1, batch: 1 }), requested(1, [a])];

const tripped = (): DeploymentEvent[] => [
  breakerFailures(10),
  stopRequested('CIRCUIT_BREAKER', breakerStop),
  rollbackStarted('The circuit breaker initiated the rollback: 10 daemon task starts of the target revision failed (threshold 10).'),
];

/**
 * The same on a provider only the target covers, the previous revision restored on the daemon: it does not place the
 * daemon there, so the replacement's retries launch the target again.
 */
function stuckOnUncoveredProvider() {
  const wide = target({ capacityProviderArns: [mi, mi2] });
  const fleet = world();
  fleet.failing.add(wide.arn);
  fleet.placements.set(daemonArn, placement(previous));
  const a = active(fleet, mi2);
  const b = replace(fleet, a, planned(wide));
  fleet.now += 1;
  fleet.settle(b);
  return { fleet, a, b, wide };
}

/** The rollback took over batch 1, its replacement stuck on the target left to come up on the restored revision. */
const rollingBack = (a: string): DeploymentEvent[] => [...forward(a), ...tripped()];

/** The fleet learns the revision the rollback restored; the stuck replacement's retry falls due and launches it. */
function restore(fleet: SimulatedFleet, replacement: string): void {
  fleet.placements.set(daemonArn, placement(previous));
  fleet.now += 1;
  fleet.settle(replacement);
}

/** An instance on the previous revision drained for the target, whose replacement came up ACTIVE on it and is all that is left. */
function activeBatch(): { fleet: SimulatedFleet; a: string; b: string } {
  const fleet = world();
  const a = active(fleet, mi, [planned(previous)]);
  const b = replace(fleet, a, planned(target()));
  return { fleet, a, b };
}

/** The rollback took over batch 1 and redid its ACTIVE replacement (its member gone). */
const redoing = (a: string, b: string): DeploymentEvent[] => [...forward(a), ...tripped(), requested(1, [b])];

/** The one instance moved to the target, whose replacement runs it; the bake runs until now + 500. */
function baking(alarms: { monitoredAlarmNames?: string[]; alarmsInAlarmAtStart?: string[]; timesInAlarmAtStart?: Record<string, number> } = {}) {
  const fleet = world();
  const a = active(fleet, mi, [planned(previous)]);
  const b = replace(fleet, a, planned(target()));
  const events = [
    { type: 'DeploymentCreated', data: created({ deploymentConfiguration: alarmConfiguration }) } as DeploymentEvent,
    started({ n: 1, batch: 1, monitoredAlarmNames: ['cpu', 'errors'], ...alarms }),
    requested(1, [a]),
    replaced(1, [[a, b]]),
    bakeStarted(now + 500),
  ];
  return { fleet, events, b };
}

/** What an alarm at `at` decides during the bake: triggered, stopped, the rollback, its first batch (the bake's instance). */
function alarmRollback(names: string[], statusReason: string, reason: string, b: string, at: number): DeploymentEvent[] {
  return [alarmsTriggered(names, at), stopRequested('ALARM', statusReason, at), rollbackStarted(reason, { at }), requested(2, [b], mi, at)];
}
