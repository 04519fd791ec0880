import type { DeploymentEvent, PlannedDaemonTask } from '@daemonfleet/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daemonRevisionCounts } from '../fleet/daemon-counts.js';
import { fold } from '../shared/decider.js';
import { deploymentDecider } from './deployment.decider.js';
import type { PendingFleetCommand } from './fleet-commands.js';
import { RolloutHarness, created, daemonArn, otherDaemonArn, planned, providerArn, revisionArn, target, taskDefinitionArn } from './testing/rollout-harness.js';
import { SimulatedFleet } from './testing/simulated-fleet.js';

/**
 * The invariants of docs/rollout.md, over random fleets (folded from fleet events by the domain's evolveFleet) and
 * random interleavings of reconciles, fleet transitions, lost, duplicated and late commands.
 */
describe('reconcileDeployment, over random fleets and schedules', () => {
  it('keeps the budget, decides nothing new when repeated, and ends with every instance in scope on the target', () => {
    fc.assert(
      fc.property(arbitraryScenario, fc.array(fc.nat(), { maxLength: 400 }), (scenario, schedule) => {
        const { rollout, untouchable } = setUp(scenario);
        const sent: [PendingFleetCommand, number][] = [];
        for (const choice of schedule) {
          act(rollout, sent, choice);
          checkBudget(rollout);
        }
        const final = rollout.runToEnd({ maxRounds: 400, onRound: () => checkBudget(rollout) });

        expect(final.status).toBe('SUCCESSFUL');
        // Instances already bound for the target (still registering with it) are no concern of the deployment's:
        // once the fleet has brought them up, every instance runs what it should.
        for (const instance of rollout.fleet.instances()) rollout.fleet.settle(instance.instanceId);
        for (const instance of rollout.fleet.instances()) {
          const task = instance.daemonTasks.get(daemonArn);
          const wanted = scenario.target?.capacityProviderArns.includes(instance.capacityProviderArn) ? scenario.target.arn : null;
          if (wanted) expect([task?.daemon.daemonRevisionArn, task?.status]).toEqual([wanted, 'RUNNING']);
          else expect([task, instance.plannedDaemons.some((d) => d.daemonArn === daemonArn)]).toEqual([undefined, false]);
        }
        const drained = rollout.fleet.log.flatMap(({ event }) => (event.type === 'InstanceDrainStarted' ? [event.data] : []));
        expect(new Set(drained.map((d) => d.instanceId)).size).toBe(drained.length);
        expect(drained.filter((d) => untouchable.has(d.instanceId))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('folds to the same state whatever events are delivered twice, later', () => {
    fc.assert(
      fc.property(arbitraryScenario, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }), (scenario, duplicates) => {
        const { rollout } = setUp(scenario);
        rollout.runToEnd({ maxRounds: 400 });
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

/** One step of a random schedule: reconcile, deliver (or lose, or duplicate) commands, move the fleet, let time pass. */
function act(rollout: RolloutHarness, sent: [PendingFleetCommand, number][], choice: number): void {
  switch (choice % 5) {
    case 0: {
      rollout.reconcile();
      // Reconciling again at the same observation decides nothing new.
      expect(deploymentDecider.decide({ type: 'ReconcileDeployment', data: rollout.observation() }, rollout.state)).toEqual([]);
      return;
    }
    case 1:
      for (const [i, command] of rollout.pendingCommands().entries()) {
        if ((choice >> (3 + i)) % 2 === 1) continue; // lost on the way
        sent.push([command, rollout.events.length]);
        rollout.fleet.handle(command, rollout.events.length);
      }
      return;
    case 2: {
      // A command delivered again, late: refused if its fence is stale, idempotent otherwise.
      if (sent.length > 0) rollout.fleet.handle(...sent[(choice >> 3) % sent.length]);
      return;
    }
    case 3: {
      const steps = rollout.fleet.possibleSteps();
      if (steps.length > 0) steps[(choice >> 3) % steps.length]();
      return;
    }
    default:
      rollout.fleet.now += 1_000;
  }
}

/** Never more than batchSize instances draining for the deployment, all of them members of its one open batch. */
function checkBudget(rollout: RolloutHarness): void {
  const state = rollout.state;
  const draining = rollout.fleet.instances().filter((i) => i.drain?.deploymentId === rollout.deployment.deploymentId);
  if (state.status === 'PENDING') expect(draining).toEqual([]);
  if (state.status !== 'IN_PROGRESS') return;
  expect(draining.length).toBeLessThanOrEqual(state.batchSize);
  const members = new Set(state.openBatch?.instances.map((i) => i.instanceId) ?? []);
  expect(draining.filter((i) => !members.has(i.instanceId))).toEqual([]);
  // An instance is counted running or without the daemon, never both.
  const withTask = new Map<string, number>();
  for (const instance of rollout.fleet.instances())
    if (instance.daemonTasks.has(daemonArn)) withTask.set(instance.capacityProviderArn, (withTask.get(instance.capacityProviderArn) ?? 0) + 1);
  const counted = new Map<string, number>();
  for (const revision of daemonRevisionCounts(daemonArn, rollout.fleet.fleets.values()))
    for (const c of revision.capacityProviders) counted.set(c.capacityProviderArn, (counted.get(c.capacityProviderArn) ?? 0) + c.running + c.withoutDaemon);
  for (const [provider, count] of counted) expect(count).toBeLessThanOrEqual(withTask.get(provider) ?? 0);
}

// Fixtures last.
const providers = { mi: providerArn('mi'), mi2: providerArn('mi2'), removed: providerArn('removed') } as const;
const revisions = {
  old: { arn: revisionArn('old'), daemonTaskDefinitionArn: taskDefinitionArn(1), critical: true },
  matching: { arn: revisionArn('matching'), daemonTaskDefinitionArn: target().daemonTaskDefinitionArn, critical: true },
  nonCritical: { arn: revisionArn('non-critical'), daemonTaskDefinitionArn: target().daemonTaskDefinitionArn, critical: false },
  target: target(),
} as const;

interface InstanceSpec {
  readonly provider: keyof typeof providers;
  readonly daemon: keyof typeof revisions | 'none';
  readonly otherDaemon: boolean;
  readonly phase: 'active' | 'provisioned' | 'registered' | 'drainingElsewhere';
}
interface Scenario {
  readonly instances: readonly InstanceSpec[];
  readonly target: ReturnType<typeof target> | null;
  readonly drainPercent: number;
  readonly bakeDurationMs: number;
}

const arbitraryScenario: fc.Arbitrary<Scenario> = fc.record({
  instances: fc.array(
    fc.record({
      provider: fc.constantFrom('mi', 'mi2', 'removed'),
      daemon: fc.constantFrom('none', 'old', 'matching', 'nonCritical', 'target'),
      otherDaemon: fc.boolean(),
      phase: fc.constantFrom('active', 'active', 'provisioned', 'registered', 'drainingElsewhere'),
    }),
    { maxLength: 24 },
  ),
  target: fc.constantFrom(target({ capacityProviderArns: [providers.mi] }), target({ capacityProviderArns: [providers.mi, providers.mi2] }), null),
  drainPercent: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(100)),
  bakeDurationMs: fc.constantFrom(0, 3_000),
});

/** Builds the fleet by folding fleet events; `untouchable` holds the instances the deployment must never drain. */
function setUp(scenario: Scenario): { rollout: RolloutHarness; untouchable: Set<string> } {
  const fleet = new SimulatedFleet(Object.values(providers));
  const untouchable = new Set<string>();
  for (const spec of scenario.instances) {
    const daemons: PlannedDaemonTask[] = [
      ...(spec.daemon === 'none' ? [] : [planned(revisions[spec.daemon])]),
      ...(spec.otherDaemon ? [planned(revisions.old, otherDaemonArn)] : []),
    ];
    const id = fleet.provision(providers[spec.provider], daemons);
    if (spec.phase === 'registered') fleet.advance(id);
    if (spec.phase === 'active' || spec.phase === 'drainingElsewhere') fleet.settle(id);
    if (spec.phase === 'drainingElsewhere') fleet.drain(fleet.instance(id)!, 'Superseded0000000', 4, daemonArn, planned(revisions.old));
    const inTarget = scenario.target?.capacityProviderArns.includes(providers[spec.provider]) ?? false;
    if (inTarget && spec.phase !== 'drainingElsewhere' && (spec.daemon === 'target' || spec.daemon === 'matching')) untouchable.add(id);
  }
  return { rollout: new RolloutHarness(fleet, created({ targetRevision: scenario.target }, scenario.drainPercent), scenario.bakeDurationMs), untouchable };
}
