import type { CapacityProviderEvent, FleetEvent } from '@daemonfleet/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appTaskAt, type FleetState } from '../fleet/fleet.state.js';
import { fold } from '../shared/decider.js';
import { StaleFencingToken } from '../shared/domain-errors.js';
import { nextDueTime } from './advance-fleet.js';
import { capacityProviderDecider, type CapacityProviderCommand } from './capacity-provider.decider.js';
import type { ActiveCapacityProvider } from './capacity-provider.state.js';
import { isSettled } from './fleet-index.js';
import type { FleetTimings } from './fleet-simulation.js';
import { serviceTaskCount } from './service-tasks.js';
import { daemon, instanceId, otherServiceArn, placed, providerCreated, sequentialIds, serviceArn, t0 } from './testing/fleet-fixtures.js';

/**
 * Random fleets and random interleavings of the fleet's commands (add instances, advance time, drain, adopt, place
 * and stop service tasks), with random durations (0 included), room per instance and decision bounds. Every event
 * is checked before it is folded, every state after; at the end, time runs until nothing is due.
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
      decisionsCutShort: expect.any(Number),
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
  | { readonly kind: 'place' | 'stop'; readonly service: number; readonly target: number };

interface Settings {
  readonly timings: FleetTimings;
  readonly tasksPerInstance: number;
  readonly maxEvents: number | undefined;
  readonly withLogs: boolean;
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
);
const scenarios = fc.record({
  settings: fc.record({
    timings: fc.record({ instanceProvisioningMs: duration, daemonTaskStartMs: duration, appTaskStartMs: duration, drainMs: duration }),
    tasksPerInstance: fc.integer({ min: 1, max: 3 }),
    maxEvents: fc.constantFrom(undefined, 5, 40),
    withLogs: fc.boolean(),
  }),
  operations: fc.array(operation, { maxLength: 40 }),
});

//// Running one scenario

class Coverage {
  readonly counts = { tasksMovedByADrain: 0, movesAlongAChain: 0, drainedInstancesGone: 0, staleFencesRefused: 0, decisionsCutShort: 0 };

  record(fleet: FleetState, event: FleetEvent): void {
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

  constructor(
    private readonly settings: Settings,
    private readonly coverage: Coverage,
  ) {}

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
        return this.apply(this.decide({ type: 'AdoptDaemonTasks', data }));
      }
      case 'place':
      case 'stop':
        return this.scale(operation);
    }
  }

  /** Time runs on, from due time to due time, until nothing is due: then every drain is over. */
  settle(): void {
    for (let due = nextDueTime(this.state, this.settings.timings.drainMs), steps = 0; due !== null; due = nextDueTime(this.state, this.settings.timings.drainMs), steps++) {
      expect(steps).toBeLessThan(100);
      this.now = Math.max(this.now, due);
      this.advance();
    }
    const instances = [...this.state.fleet.instances.values()];
    expect(instances.filter((instance) => instance.status !== 'ACTIVE')).toEqual([]);
    for (const instance of instances) for (const task of instance.appTasks.values()) expect([task.status, task.replaces, task.replacedBy]).toEqual(['RUNNING', null, null]);
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
    this.advance();
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
    const command: CapacityProviderCommand = { type: 'AdvanceFleet', data: { now: this.now, timings: this.settings.timings, ids: this.ids, maxEvents: this.settings.maxEvents } };
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
      checkBeforeFolding(this.state.fleet, event);
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

/** What each event may do, checked against the state it is folded into. */
function checkBeforeFolding(fleet: FleetState, event: FleetEvent): void {
  const instance = fleet.instances.get(event.data.instanceId);
  switch (event.type) {
    case 'InstanceProvisioningStarted':
      expect(instance).toBeUndefined();
      expect(new Set(event.data.daemons.map((d) => d.daemonArn)).size, 'one task per daemon (spec 1.4)').toBe(event.data.daemons.length);
      return;
    case 'DaemonTaskLaunched':
      expect(instance?.registeredAt).not.toBeNull();
      expect(instance!.daemonTasks.has(event.data.daemon.daemonArn), 'an instance never has two tasks of one daemon').toBe(false);
      return;
    case 'InstanceActivated':
      expect(instance?.status).toBe('REGISTERING');
      expect([...instance!.daemonTasks.values()].every((task) => task.status === 'RUNNING'), 'daemons run first (spec 3.9)').toBe(true);
      return;
    case 'AppTaskPlaced':
      expect(instance?.status, 'a draining instance takes no new task').not.toBe('DRAINING');
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
