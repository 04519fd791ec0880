import type { DeploymentEvent, DeploymentTargetRevision, PlannedDaemonTask } from '@daemonfleet/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InstanceState } from '../fleet/fleet.state.js';
import { fold } from '../shared/decider.js';
import { deploymentDecider } from './deployment.decider.js';
import { isTerminal } from './deployment.state.js';
import type { PendingFleetCommand } from './fleet-commands.js';
import { mi, mi2, previous } from './testing/deployment-fixtures.js';
import { RolloutHarness, created, daemonArn, deploymentId, planned, target } from './testing/rollout-harness.js';
import { SimulatedFleet } from './testing/simulated-fleet.js';

/**
 * The guards and the rollback over random fleets, random failing revisions and random alarm flips, with random
 * interleavings of reconciles, fleet transitions, lost and late commands (docs/rollout.md, spec 3.5–3.7).
 */
describe('the guarded rollout, over random fleets, failures and alarms', () => {
  it('keeps the budget while rolling back too, decides nothing new when repeated, and ends where it should', () => {
    fc.assert(
      fc.property(arbitraryScenario, fc.array(fc.nat(), { maxLength: 300 }), (scenario, schedule) => {
        const rollout = setUp(scenario);
        const sent: [PendingFleetCommand, number][] = [];
        for (const choice of schedule) {
          act(rollout, sent, choice);
          checkBudget(rollout);
        }
        const final = rollout.runToEnd({ maxRounds: 600, onRound: () => checkBudget(rollout) });

        expect(isTerminal(final)).toBe(true);
        const rollbackStarted = rollout.events.some((e) => e.type === 'DeploymentRollbackStarted');
        // Decision 22: once a rollback started, the deployment never ends STOPPED.
        if (rollbackStarted) expect(['ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']).toContain(final.status);
        // Decision 6: with nothing to roll back to, a trip ends STOPPED.
        if (scenario.previous === null) expect(rollbackStarted).toBe(false);
        if (final.status === 'STOPPED') expect(final.stopReason).not.toBe('SUPERSEDED');
        if (final.status === 'SUCCESSFUL') expectEveryInstanceOn(rollout, scenario.target);
        if (final.status === 'ROLLBACK_SUCCESSFUL') expectEveryInstanceOn(rollout, previous);
        const drained = rollout.fleet.log.flatMap(({ event }) => (event.type === 'InstanceDrainStarted' ? [event.data.instanceId] : []));
        expect(new Set(drained).size).toBe(drained.length);
      }),
      { numRuns: 150 },
    );
  });

  it('folds to the same state whatever events are delivered twice, later', () => {
    fc.assert(
      fc.property(arbitraryScenario, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }), (scenario, duplicates) => {
        const rollout = setUp(scenario);
        rollout.alarms = scenario.alarmEnabled ? { cpu: { state: 'ALARM', timesInAlarm: 1 } } : {};
        rollout.runToEnd({ maxRounds: 600 });
        const events: DeploymentEvent[] = [...rollout.events];
        for (const [which, where] of duplicates) {
          const index = which % events.length;
          events.splice(index + 1 + (where % (events.length - index)), 0, events[index]);
        }
        expect(fold(deploymentDecider, events)).toEqual(fold(deploymentDecider, rollout.events));
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * One step of a random schedule: reconcile, deliver (or lose) commands, redeliver one late, move the fleet, let time
 * pass, flip the alarm, or let the fleet learn the revision a rollback restored (it learns it asynchronously).
 */
function act(rollout: RolloutHarness, sent: [PendingFleetCommand, number][], choice: number): void {
  switch (choice % 7) {
    case 0:
      rollout.reconcile();
      // Reconciling again at the same observation decides nothing new.
      expect(deploymentDecider.decide({ type: 'ReconcileDeployment', data: rollout.observation() }, rollout.state)).toEqual([]);
      return;
    case 1:
      for (const [i, command] of rollout.pendingCommands().entries()) {
        if ((choice >> (3 + i)) % 2 === 1) continue; // lost on the way
        sent.push([command, rollout.events.length]);
        rollout.fleet.handle(command, rollout.events.length);
      }
      return;
    case 2:
      if (sent.length > 0) rollout.fleet.handle(...sent[(choice >> 3) % sent.length]);
      return;
    case 3: {
      const steps = rollout.fleet.possibleSteps();
      if (steps.length > 0) steps[(choice >> 3) % steps.length]();
      return;
    }
    case 4:
      rollout.fleet.now += 1_000;
      return;
    case 5:
      rollout.restoreRevision();
      return;
    default: {
      // The alarm flips: a move into ALARM is counted, as the alarm projection counts it.
      const cpu = rollout.alarms.cpu ?? { state: 'OK', timesInAlarm: 0 };
      rollout.alarms = { cpu: cpu.state === 'ALARM' ? { ...cpu, state: 'OK' } : { state: 'ALARM', timesInAlarm: cpu.timesInAlarm + 1 } };
    }
  }
}

/**
 * Rolling forward or back: never more than batchSize instances draining for the deployment, every one of them a
 * member of the open batch. A replacement a rollback redoes is drained only once its member is gone, and one held
 * back by the target is left to come up on the restored revision; the one exception is a replacement held back on a
 * provider the revision rolled back to does not cover (no retry brings it up): it drains beside its member, the two
 * standing for one instance, so it is not counted. Nothing drains before the start.
 */
function checkBudget(rollout: RolloutHarness): void {
  const state = rollout.state;
  const draining = rollout.fleet.instances().filter((i) => i.drain?.deploymentId === deploymentId);
  if (state.status === 'PENDING') expect(draining).toEqual([]);
  if (state.status !== 'IN_PROGRESS' && state.status !== 'ROLLBACK_IN_PROGRESS') return;
  const ids = new Set(draining.map((i) => i.instanceId));
  const uncovered = (i: InstanceState) =>
    state.status === 'ROLLBACK_IN_PROGRESS' &&
    !state.rollbackTarget.capacityProviderArns.includes(i.capacityProviderArn) &&
    i.activatedAt === null &&
    i.deploymentId === deploymentId &&
    ids.has(i.replacesInstanceId ?? '');
  expect(draining.filter((i) => !uncovered(i)).length).toBeLessThanOrEqual(state.batchSize);
  const members = new Set(state.openBatch?.instances.map((i) => i.instanceId) ?? []);
  expect(draining.filter((i) => !members.has(i.instanceId))).toEqual([]);
}

/** Once the fleet brought everything up: each instance carries the revision wanted on its provider (running it unless it fails), or none. */
function expectEveryInstanceOn(rollout: RolloutHarness, revision: DeploymentTargetRevision): void {
  for (const instance of rollout.fleet.instances()) rollout.fleet.settle(instance.instanceId);
  for (const instance of rollout.fleet.instances()) {
    const task = instance.daemonTasks.get(daemonArn);
    if (!revision.capacityProviderArns.includes(instance.capacityProviderArn)) expect(task).toBeUndefined();
    else if (rollout.fleet.failing.has(revision.arn)) expect(task?.daemon.daemonRevisionArn).toBe(revision.arn);
    else expect([task?.daemon.daemonRevisionArn, task?.status]).toEqual([revision.arn, 'RUNNING']);
  }
}

// Fixtures last.
interface Scenario {
  readonly instances: readonly { readonly provider: 'mi' | 'mi2'; readonly onPrevious: boolean; readonly phase: 'active' | 'provisioned' | 'registered' }[];
  readonly target: DeploymentTargetRevision;
  readonly previous: DeploymentTargetRevision | null;
  readonly failing: { readonly target: boolean; readonly previous: boolean };
  readonly alarmEnabled: boolean;
  readonly drainPercent: number;
  readonly bakeDurationMs: number;
}

const arbitraryScenario: fc.Arbitrary<Scenario> = fc.record({
  instances: fc.array(
    fc.record({ provider: fc.constantFrom('mi', 'mi2'), onPrevious: fc.boolean(), phase: fc.constantFrom('active', 'active', 'provisioned', 'registered') }),
    { maxLength: 16 },
  ),
  target: fc.constantFrom(target(), target({ capacityProviderArns: [mi, mi2] }), target({ critical: false })),
  previous: fc.constantFrom(previous, null),
  failing: fc.record({ target: fc.boolean(), previous: fc.boolean() }),
  alarmEnabled: fc.boolean(),
  drainPercent: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(100)),
  bakeDurationMs: fc.constantFrom(0, 3_000),
});

/**
 * The fleet as the previous revision left it (its instances in `mi` run it; instances still coming up were
 * launched with it), then the faults: the failing revisions fail from now on.
 */
function setUp(scenario: Scenario): RolloutHarness {
  const fleet = new SimulatedFleet([mi, mi2]);
  for (const spec of scenario.instances) {
    const daemons: PlannedDaemonTask[] = spec.provider === 'mi' && spec.onPrevious ? [planned(previous)] : [];
    const id = fleet.provision(spec.provider === 'mi' ? mi : mi2, daemons);
    if (spec.phase === 'registered') fleet.advance(id);
    if (spec.phase === 'active') fleet.settle(id);
  }
  if (scenario.failing.target) fleet.failing.add(scenario.target.arn);
  if (scenario.failing.previous) fleet.failing.add(previous.arn);
  const alarms = { enable: scenario.alarmEnabled, alarmNames: ['cpu'] };
  const deployment = created({ targetRevision: scenario.target, deploymentConfiguration: { drainPercent: scenario.drainPercent, bakeTimeInMinutes: 1, alarms } });
  return new RolloutHarness(fleet, deployment, scenario.bakeDurationMs, scenario.previous);
}
