import type { CapacityProviderEvent, FleetEvent } from '@daemonfleet/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultRule } from '../fault/fault-rule.decider.js';
import { appTaskAt, type FleetState, type InstanceState } from '../fleet/fleet.state.js';
import { fold } from '../shared/decider.js';
import { StaleFencingToken } from '../shared/domain-errors.js';
import { nextDueTime } from './advance-fleet.js';
import { capacityProviderDecider, type CapacityProviderCommand } from './capacity-provider.decider.js';
import type { ActiveCapacityProvider } from './capacity-provider.state.js';
import type { FleetFaults } from './fleet-faults.js';
import { isSettled } from './fleet-index.js';
import type { FleetTimings } from './fleet-simulation.js';
import { serviceTaskCount } from './service-tasks.js';
import { daemon, faultRule, imageOf, instanceId, otherServiceArn, placed, providerCreated, sequentialIds, serviceArn, t0 } from './testing/fleet-fixtures.js';

/**
 * Random fleets and random interleavings of the fleet's commands (add instances, advance time, drain, adopt, place
 * and stop service tasks), with random durations (0 included), room per instance and decision bounds, and random
 * fault rules on the daemons' images, switched off and on, with seeded draws. Every event is checked before it is
 * folded, every state after; at the end, time runs from due time to due time with the faults on, then the rules
 * are removed and time runs until nothing is due.
 */
describe('the simulated fleet, under random interleavings', () => {
  it('keeps its invariants and finishes every drain with no application task lost', () => {
    const seen = new Coverage();
    fc.assert(
      fc.property(scenarios, ({ settings, operations }) => {
        const run = new FleetRun(settings, seen);
        for (const operation of operations) run.perform(operation);
        run.settle();
      }),
      { numRuns: 400 },
    );
    // The scenarios do reach the paths that matter, or the properties above would hold vacuously.
    expect(seen.counts).toEqual({
      tasksMovedByADrain: expect.any(Number),
      movesAlongAChain: expect.any(Number),
      drainedInstancesGone: expect.any(Number),
      staleFencesRefused: expect.any(Number),
      fencesRecordedAlone: expect.any(Number),
      decisionsCutShort: expect.any(Number),
      daemonStartsFailed: expect.any(Number),
      startsRetried: expect.any(Number),
      provisioningsFailed: expect.any(Number),
      instancesHeldBack: expect.any(Number),
    });
    for (const [what, count] of Object.entries(seen.counts)) expect(count, what).toBeGreaterThan(0);
  });
});

//// The scenarios

const services = [serviceArn, otherServiceArn];
const deployments = ['aB1cD2eF3gH4iJ5k', 'zZ9yY8xX7wW6vV5u'];
const agent = (revision: number) => daemon('agent', revision);
const logs = daemon('logs', 1, { critical: false });

type Operation =
  | { readonly kind: 'add'; readonly count: number }
  | { readonly kind: 'advance'; readonly by: number }
  | { readonly kind: 'drain'; readonly picks: number[]; readonly deployment: number; readonly revision: number | null; readonly staleFence: boolean }
  | { readonly kind: 'adopt'; readonly picks: number[]; readonly deployment: number; readonly revision: number }
  | { readonly kind: 'place' | 'stop'; readonly service: number; readonly target: number }
  | { readonly kind: 'toggleFaults' };

interface Settings {
  readonly timings: FleetTimings;
  readonly tasksPerInstance: number;
  readonly maxEvents: number | undefined;
  readonly withLogs: boolean;
  readonly faultRules: readonly FaultRule[];
  /** Seeds the draws the faults are decided with. */
  readonly seed: number;
}

const duration = fc.constantFrom(0, 0, 1_000, 5_000, 60_000);
const picks = fc.array(fc.nat(40), { minLength: 1, maxLength: 4 });
/** Drains weigh most: drains of replacements, registering or not, are what make chains of moves. */
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), by: fc.constantFrom(0, 1, 1_000, 5_000, 10_000, 60_000, 100_000) }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('drain' as const), picks, deployment: fc.nat(1), revision: fc.option(fc.integer({ min: 1, max: 3 })), staleFence: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('adopt' as const), picks, deployment: fc.nat(1), revision: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('place' as const, 'stop' as const), service: fc.nat(1), target: fc.nat(6) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggleFaults' as const) }) },
);
const rate = fc.constantFrom(0, 0.3, 0.7, 1);
/**
 * Rules on the images of the daemons' task definitions (or on an image nothing runs), numbered in order; most on
 * the revision new instances launch, whose failures hold instances back.
 */
const faultRules = fc
  .array(fc.record({ image: fc.constantFrom(...[1, 1, 2, 3].map((revision) => imageOf(agent(revision))), imageOf(logs), 'nginx:latest'), start: rate, provisioning: fc.constantFrom(0, 0, 0.3, 1) }), { maxLength: 3 })
  .map((rules) => rules.map(({ image, start, provisioning }, n) => faultRule(n + 1, image, { start, provisioning })));
const scenarios = fc.record({
  settings: fc.record({
    timings: fc.record({
      instanceProvisioningMs: duration,
      daemonTaskStartMs: duration,
      appTaskStartMs: duration,
      drainMs: duration,
      retryBackoffMs: duration,
      retryBackoffMaxMs: fc.constantFrom(0, 60_000, 300_000),
    }),
    tasksPerInstance: fc.integer({ min: 1, max: 3 }),
    maxEvents: fc.constantFrom(undefined, 5, 40),
    withLogs: fc.boolean(),
    faultRules: fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: faultRules }),
    seed: fc.nat(),
  }),
  operations: fc.array(operation, { maxLength: 40 }),
});

//// Running one scenario

class Coverage {
  readonly counts = {
    tasksMovedByADrain: 0,
    movesAlongAChain: 0,
    drainedInstancesGone: 0,
    staleFencesRefused: 0,
    /** Accepted drains and adoptions that changed nothing but the deployment's fence (DeploymentFenceAdvanced). */
    fencesRecordedAlone: 0,
    decisionsCutShort: 0,
    daemonStartsFailed: 0,
    startsRetried: 0,
    provisioningsFailed: 0,
    /** Application tasks left PROVISIONING on an instance a critical daemon keeps out of service. */
    instancesHeldBack: 0,
  };

  record(fleet: FleetState, event: FleetEvent): void {
    if (event.type === 'DaemonTaskFailedToStart') this.counts.daemonStartsFailed++;
    if (event.type === 'InstanceProvisioningFailed') this.counts.provisioningsFailed++;
    if (event.type === 'DaemonTaskLaunched' && fleet.instances.get(event.data.instanceId)?.daemonTasks.has(event.data.daemon.daemonArn)) this.counts.startsRetried++;
    if (event.type === 'DaemonTaskFailedToStart' && event.data.daemon.critical && (fleet.instances.get(event.data.instanceId)?.appTasks.size ?? 0) > 0) this.counts.instancesHeldBack++;
    if (event.type === 'AppTaskStopped' && event.data.reason === 'INSTANCE_DRAINED') this.counts.tasksMovedByADrain++;
    if (event.type === 'AppTaskPlaced' && event.data.replacesTask) {
      // Along a chain: past a replacement that drains in turn, or relaying a task that had moved already.
      const from = event.data.replacesTask;
      const direct = fleet.instances.get(from.instanceId)?.drain?.replacementInstanceId;
      if (direct !== event.data.instanceId || appTaskAt(fleet, from)?.replaces) this.counts.movesAlongAChain++;
    }
    if (event.type === 'InstanceDeregistered') this.counts.drainedInstancesGone++;
  }
}

class FleetRun {
  private state = fold(capacityProviderDecider, [providerCreated]) as ActiveCapacityProvider;
  private now = t0;
  private readonly ids = sequentialIds(1);
  /** Every instance id the run has seen, gone ones included, for drains and adoptions to pick from. */
  private readonly seen: string[] = [];
  private readonly fences = [1, 1];
  private faultsOn = true;
  private readonly draw: () => number;

  constructor(
    private readonly settings: Settings,
    private readonly coverage: Coverage,
  ) {
    this.draw = mulberry32(settings.seed);
  }

  perform(operation: Operation): void {
    switch (operation.kind) {
      case 'add':
        this.apply(this.decide({ type: 'AddInstances', data: { capacityProvider: 'mi', count: operation.count, reason: 'EMULATOR_REQUEST', placements: this.placements(), timings: this.settings.timings, now: this.now, ids: this.ids } }));
        return this.advance();
      case 'advance':
        this.now += operation.by;
        return this.advance();
      case 'drain':
        return this.drain(operation);
      case 'adopt': {
        const deploymentId = deployments[operation.deployment];
        const data = { capacityProvider: 'mi', deploymentId, fence: this.fences[operation.deployment], daemonArn: agent(1).daemonArn, toRevisionArn: agent(operation.revision).daemonRevisionArn, instanceIds: this.pick(operation.picks), now: this.now };
        this.apply(this.decide({ type: 'AdoptDaemonTasks', data }));
        return this.checkFenceRecorded(deploymentId, data.fence);
      }
      case 'place':
      case 'stop':
        return this.scale(operation);
      case 'toggleFaults':
        this.faultsOn = !this.faultsOn;
        return this.advance();
    }
  }

  /**
   * Time runs on from due time to due time, first with the faults on (retries happen when due, and fail again or
   * not), then, the rules removed, until nothing is due: every retry then succeeds and every drain is over.
   */
  settle(): void {
    this.faultsOn = true;
    for (let step = 0, due = this.nextDue(); step < 10 && due !== null; step++, due = this.nextDue()) {
      this.now = Math.max(this.now, due);
      this.advance();
    }
    this.faultsOn = false;
    for (let due = nextDueTime(this.state, this.settings.timings.drainMs), steps = 0; due !== null; due = nextDueTime(this.state, this.settings.timings.drainMs), steps++) {
      expect(steps).toBeLessThan(100);
      this.now = Math.max(this.now, due);
      this.advance();
    }
    const instances = [...this.state.fleet.instances.values()];
    expect(instances.filter((instance) => instance.status !== 'ACTIVE')).toEqual([]);
    for (const instance of instances) for (const task of instance.appTasks.values()) expect([task.status, task.replaces, task.replacedBy]).toEqual(['RUNNING', null, null]);
    for (const instance of instances) for (const task of instance.daemonTasks.values()) expect(task.status, 'every failed start is retried until it runs').toBe('RUNNING');
  }

  private nextDue(): number | null {
    return nextDueTime(this.state, this.settings.timings.drainMs);
  }

  /** What AdvanceFleet is given: the rules while they are on, the images of every daemon revision, the seeded draws. */
  private faults(): FleetFaults | undefined {
    if (!this.faultsOn || this.settings.faultRules.length === 0) return undefined;
    const revisions = [agent(1), agent(2), agent(3), logs];
    return { rules: this.settings.faultRules, images: new Map(revisions.map((revision) => [revision.daemonTaskDefinitionArn, [imageOf(revision)]])), draw: this.draw };
  }

  private drain(operation: Extract<Operation, { kind: 'drain' }>): void {
    const deployment = operation.deployment;
    const seenFence = this.state.fleet.fences.get(deployments[deployment]);
    const fence = operation.staleFence && seenFence !== undefined ? seenFence - 1 : ++this.fences[deployment];
    const data = {
      capacityProvider: 'mi',
      deploymentId: deployments[deployment],
      fence,
      daemonArn: agent(1).daemonArn,
      replacementDaemon: operation.revision === null ? null : agent(operation.revision),
      instanceIds: this.pick(operation.picks),
      placements: this.placements(),
      timings: this.settings.timings,
      now: this.now,
      ids: this.ids,
    };
    const seen = this.state.fleet.fences.get(data.deploymentId);
    if (seen !== undefined && fence < seen) {
      expect(() => capacityProviderDecider.decide({ type: 'StartInstanceDrains', data }, this.state)).toThrow(StaleFencingToken);
      this.coverage.counts.staleFencesRefused++;
      return;
    }
    this.apply(this.decide({ type: 'StartInstanceDrains', data }));
    this.checkFenceRecorded(data.deploymentId, fence);
    this.advance();
  }

  /** Whatever an accepted command changed, the fleet holds its fence from then on: any lower one is refused. */
  private checkFenceRecorded(deploymentId: string, fence: number): void {
    expect(this.state.fleet.fences.get(deploymentId)).toBeGreaterThanOrEqual(fence);
  }

  private scale(operation: Extract<Operation, { kind: 'place' | 'stop' }>): void {
    const service = services[operation.service];
    const before = serviceTaskCount(this.state, service).counted;
    const common = { capacityProvider: 'mi', serviceArn: service, targetCount: operation.target, now: this.now, maxEvents: this.settings.maxEvents };
    const command: CapacityProviderCommand =
      operation.kind === 'place'
        ? { type: 'PlaceServiceTasks', data: { ...common, taskDefinitionArn: `${service}-td`, tasksPerInstance: this.settings.tasksPerInstance, placements: this.placements(), timings: this.settings.timings, ids: this.ids } }
        : { type: 'StopServiceTasks', data: { ...common, reason: 'SERVICE_SCALED_IN' } };
    this.untilNothing(command);
    const after = serviceTaskCount(this.state, service).counted;
    expect(after).toBe(operation.kind === 'place' ? Math.max(before, operation.target) : Math.min(before, operation.target));
    this.advance();
  }

  private advance(): void {
    const command: CapacityProviderCommand = {
      type: 'AdvanceFleet',
      data: { now: this.now, timings: this.settings.timings, ids: this.ids, maxEvents: this.settings.maxEvents, faults: this.faults() },
    };
    const rounds = this.untilNothing(command);
    // Unbounded, one step reaches the fixed point: the second one, at the same instant, decides nothing.
    if (this.settings.maxEvents === undefined) expect(rounds).toBeLessThanOrEqual(2);
    const due = nextDueTime(this.state, this.settings.timings.drainMs);
    expect(due === null || due > this.now, 'nothing is left due at the instant of a step').toBe(true);
  }

  /** Decides and folds the command again until it decides nothing, as the app does with bounded decisions. */
  private untilNothing(command: CapacityProviderCommand): number {
    for (let rounds = 1; ; rounds++) {
      expect(rounds).toBeLessThan(500);
      const events = this.decide(command);
      if (events.length === 0) return rounds;
      if (events.length === this.settings.maxEvents) this.coverage.counts.decisionsCutShort++;
      this.apply(events);
    }
  }

  /** Decides, checking that deciding changed nothing of the state it was given (it folds into a draft). */
  private decide(command: CapacityProviderCommand): CapacityProviderEvent[] {
    const before = snapshot(this.state.fleet);
    const events = capacityProviderDecider.decide(command, this.state);
    expect(snapshot(this.state.fleet)).toBe(before);
    return events;
  }

  private apply(events: readonly CapacityProviderEvent[]): void {
    for (const event of events) {
      if (event.type === 'CapacityProviderCreated') throw new Error('a fleet command created a provider');
      if (event.type === 'DeploymentFenceAdvanced') {
        // Only ever forward, and only for a command that decided nothing else (no drain or adoption records it).
        expect(event.data.fence).toBeGreaterThan(this.state.fleet.fences.get(event.data.deploymentId) ?? 0);
        expect(events).toEqual([event]);
        this.coverage.counts.fencesRecordedAlone++;
        this.state = capacityProviderDecider.evolve(this.state, event) as ActiveCapacityProvider;
        continue;
      }
      checkBeforeFolding(this.state.fleet, event, this.now, this.faultsOn ? this.settings.faultRules : []);
      this.coverage.record(this.state.fleet, event);
      const runningBefore = services.map((service) => logicallyRunning(this.state.fleet, service));
      this.state = capacityProviderDecider.evolve(this.state, event) as ActiveCapacityProvider;
      if (event.type === 'InstanceProvisioningStarted') this.seen.push(event.data.instanceId);
      // Only a scale-in or a deletion takes running tasks away; everything else (drains included) keeps them running.
      const scaledIn = event.type === 'AppTaskStopped' && event.data.reason !== 'INSTANCE_DRAINED';
      if (scaledIn) continue;
      services.forEach((service, i) => expect(logicallyRunning(this.state.fleet, service), `a running task of ${service} was lost`).toBeGreaterThanOrEqual(runningBefore[i]));
    }
    checkState(this.state);
  }

  private placements() {
    return [placed(agent(1)), ...(this.settings.withLogs ? [placed(logs)] : [])];
  }

  /** The latest instances are picked most: they are the replacements, whose drains make chains. */
  private pick(indices: readonly number[]): string[] {
    const { seen } = this;
    return seen.length === 0 ? [instanceId(0xfff)] : indices.map((index) => seen[Math.max(0, seen.length - 1 - (index % 8))] ?? seen[0]);
  }
}

//// Invariants

/** What each event may do at `now`, checked against the state it is folded into; `rules` are the fault rules on. */
function checkBeforeFolding(fleet: FleetState, event: FleetEvent, now: number, rules: readonly FaultRule[]): void {
  const instance = fleet.instances.get(event.data.instanceId);
  const matching = (arns: readonly string[]) => rules.filter((rule) => arns.some((arn) => arn.endsWith(`/${rule.image.replace(/\.0$/, '')}`)));
  switch (event.type) {
    case 'InstanceProvisioningStarted':
      expect(instance).toBeUndefined();
      expect(new Set(event.data.daemons.map((d) => d.daemonArn)).size, 'one task per daemon (spec 1.4)').toBe(event.data.daemons.length);
      return;
    case 'InstanceRegistered':
      expect(instance!.registersAt, 'registered when due, after any failed provisioning').toBeLessThanOrEqual(now);
      return;
    case 'InstanceProvisioningFailed':
      expect([instance?.registeredAt, instance!.registersAt <= now, event.data.attempt, event.data.retryAt > now]).toEqual([null, true, instance!.provisioningFailures + 1, true]);
      expect(matching(instance!.plannedDaemons.map((d) => d.daemonTaskDefinitionArn)).some((rule) => rule.instanceProvisioningFailureRate > 0), 'only a rule fails a provisioning').toBe(true);
      return;
    case 'DaemonTaskLaunched': {
      expect(instance?.registeredAt).not.toBeNull();
      const previous = instance!.daemonTasks.get(event.data.daemon.daemonArn);
      // A second task of a daemon only ever retries a failed start: at its due time, on an instance that stays.
      if (previous) expect([previous.status, previous.retryAt! <= now, instance!.status], 'a retry when due, never on a draining instance').toEqual(['STOPPED', true, expect.not.stringMatching('DRAINING')]);
      return;
    }
    case 'DaemonTaskFailedToStart': {
      const task = instance?.daemonTasks.get(event.data.daemon.daemonArn);
      expect([task?.taskArn, task?.status, task!.runsAt <= now, event.data.attempt, event.data.retryAt > now]).toEqual([event.data.taskArn, 'PENDING', true, task!.failedAttempts + 1, true]);
      expect(matching([task!.daemon.daemonTaskDefinitionArn]).some((rule) => rule.daemonTaskStartFailureRate > 0), 'only a rule fails a start').toBe(true);
      return;
    }
    case 'InstanceActivated':
      expect(instance?.status).toBe('REGISTERING');
      for (const task of instance!.daemonTasks.values())
        expect(task.status === 'RUNNING' || (!task.daemon.critical && task.failedAttempts > 0), 'daemons run first (spec 3.9), a critical one always (spec 3.8)').toBe(true);
      return;
    case 'AppTaskPlaced':
      expect(instance?.status, 'a draining instance takes no new task').not.toBe('DRAINING');
      expect(criticalDaemonFailed(instance!), 'an instance a critical daemon keeps out of service takes no new task').toBe(false);
      return;
    case 'AppTaskStarting':
      expect(instance?.status, 'an application task starts only on an ACTIVE instance (spec 3.9)').toBe('ACTIVE');
      return;
    case 'AppTaskStopped': {
      const task = instance?.appTasks.get(event.data.taskArn);
      expect(task).toBeDefined();
      if (event.data.reason !== 'INSTANCE_DRAINED') return;
      const replacement = task!.replacedBy && appTaskAt(fleet, task!.replacedBy);
      expect(replacement && [replacement.status, replacement.serviceArn], 'a task stopped by a drain has a running replacement').toEqual(['RUNNING', task!.serviceArn]);
      return;
    }
    case 'InstanceDeregistered':
      expect([instance?.status, instance?.appTasks.size], 'a drained instance leaves only when empty').toEqual(['DRAINING', 0]);
      return;
    default:
      expect(instance).toBeDefined();
  }
}

/** A critical daemon's task failed to start on the instance before it was activated, and has not run since. */
function criticalDaemonFailed(instance: InstanceState): boolean {
  return instance.activatedAt === null && [...instance.daemonTasks.values()].some((task) => task.daemon.critical && task.failedAttempts > 0 && task.status !== 'RUNNING');
}

/** The index matches the fleet, and every link between moving tasks goes both ways, within one service. */
function checkState(state: ActiveCapacityProvider): void {
  const instances = [...state.fleet.instances.values()];
  expect([...state.index.unsettled].sort()).toEqual(instances.filter((instance) => !isSettled(instance)).map((instance) => instance.instanceId).sort());
  const byService = new Map<string, string[]>();
  for (const instance of instances) {
    for (const task of instance.appTasks.values()) {
      byService.set(task.serviceArn, [...(byService.get(task.serviceArn) ?? []), `${task.taskArn}@${instance.instanceId}`]);
      const here = { instanceId: instance.instanceId, taskArn: task.taskArn };
      if (task.replacedBy) expect([appTaskAt(state.fleet, task.replacedBy)?.replaces, appTaskAt(state.fleet, task.replacedBy)?.serviceArn]).toEqual([here, task.serviceArn]);
      if (task.replaces) expect(appTaskAt(state.fleet, task.replaces)?.replacedBy).toEqual(here);
    }
  }
  const indexed = [...state.index.tasksByService].map(([service, tasks]) => [service, [...tasks].map(([taskArn, id]) => `${taskArn}@${id}`).sort()]);
  expect(new Map(indexed as [string, string[]][])).toEqual(new Map([...byService].map(([service, tasks]) => [service, tasks.sort()])));
  expect(state.index.tallies).toEqual(talliesByScan(instances));
}

/** Each service's tally as a scan of every task finds it: what the index keeps event by event. */
function talliesByScan(instances: readonly InstanceState[]): Map<string, { counted: number; running: number; total: number }> {
  const tallies = new Map<string, { counted: number; running: number; total: number }>();
  for (const task of instances.flatMap((instance) => [...instance.appTasks.values()])) {
    const tally = tallies.get(task.serviceArn) ?? { counted: 0, running: 0, total: 0 };
    tally.total++;
    if (task.replacedBy === null) tally.counted++;
    if (task.replacedBy === null && task.status === 'RUNNING') tally.running++;
    tallies.set(task.serviceArn, tally);
  }
  return tallies;
}

/** Tasks of the service that run, a task and the replacement it moves to counting once: what a drain must keep. */
function logicallyRunning(fleet: FleetState, service: string): number {
  let running = 0;
  for (const instance of fleet.instances.values()) {
    for (const task of instance.appTasks.values()) {
      if (task.serviceArn !== service || task.replacedBy !== null) continue;
      let member = task as typeof task | undefined;
      while (member && member.status !== 'RUNNING') member = member.replaces ? appTaskAt(fleet, member.replaces) : undefined;
      if (member) running++;
    }
  }
  return running;
}

function snapshot(fleet: FleetState): string {
  return JSON.stringify(fleet, (_key, value) => (value instanceof Map ? [...value] : value instanceof Set ? [...value] : value));
}

/** A small well-known generator (mulberry32): seeded draws in [0, 1), so a failing run replays. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
