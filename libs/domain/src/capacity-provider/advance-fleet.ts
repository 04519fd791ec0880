import type { EpochMillis, FleetEvent, PlannedDaemonTask } from '@daemonfleet/contracts';
import { appTaskAt, holdsActivation, type DaemonTaskState, type FleetState, type InstanceState } from '../fleet/fleet.state.js';
import type { ActiveCapacityProvider, CapacityProviderState } from './capacity-provider.state.js';
import { FleetDraft } from './fleet-draft.js';
import { provisioningFailed, provisioningFault, taskFailedToStart, taskStartFault, type FleetFaults } from './fleet-faults.js';
import { fleetContext, newTaskArn, type DaemonPlacement, type FleetContext, type FleetIds, type FleetTimings } from './fleet-simulation.js';

/** The simulation's step: every transition of the provider's fleet that is due at `now`. */
export type AdvanceFleet = {
  readonly type: 'AdvanceFleet';
  readonly data: {
    readonly now: EpochMillis;
    readonly timings: FleetTimings;
    readonly ids: FleetIds;
    /** Bound on the answer: the next AdvanceFleet at the same `now` goes on where this one stopped. */
    readonly maxEvents?: number;
    /** Injected faults (emulator control) and the draws they are decided with; none: nothing fails. */
    readonly faults?: FleetFaults;
    /**
     * Each live daemon's current revision (spec 3.9.4: during a rollback, the revision rolled back to). A task
     * retried on an instance that is not ACTIVE yet launches it; none given: a retry launches what failed.
     */
    readonly placements?: readonly DaemonPlacement[];
  };
};

/**
 * Level-triggered (docs/rollout.md): decided from the state, `now` and the faults' draws alone, so a repeated,
 * late or duplicated call does no harm, and any prefix of the answer is itself a valid answer. Rounds go on until
 * nothing more is due, so with zero durations one call takes an instance from provisioning to running. Only the
 * index's unsettled instances, and those the round touched, are looked at. Per instance, in this order (spec 3.9:
 * daemons first):
 * 1. not registered and `registersAt` ≤ now: InstanceRegistered; or, when a fault rule on an image of its daemons
 *    hits, InstanceProvisioningFailed, registration tried again at `retryAt` (not the daemon's fault);
 * 2. registered, daemons still planned: DaemonTaskLaunched for each, RUNNING at now + daemon start time; and a
 *    daemon task STOPPED by a failed start whose `retryAt` ≤ now, on an instance not draining (it is leaving):
 *    DaemonTaskLaunched again, a new task (decision 21: retried on the same instance) — of the daemon's current
 *    revision when the instance is not ACTIVE yet and that revision changed (a rollback restored an earlier one:
 *    the instance comes up as any new instance would, instead of waiting on a revision being rolled back);
 * 3. a PENDING daemon task whose `runsAt` ≤ now: DaemonTaskStarted; or, when a fault rule on an image of its task
 *    definition hits, DaemonTaskFailedToStart (attempt n, retried at now + backoff(n));
 * 4. REGISTERING, registered, no daemon task holding it back: InstanceActivated. Spec 3.9 starts every daemon,
 *    critical or not, before the application tasks; a non-critical task that failed to start does not hold the
 *    instance back (decision 21), a critical one does for as long as it does not run (spec 3.8: the instance never
 *    becomes active, so its PROVISIONING tasks stay so, and a drained instance it replaces keeps its tasks);
 * 5. ACTIVE: each PROVISIONING application task starts (AppTaskStarting), RUNNING at now + task start time;
 * 6. a PENDING application task whose `runsAt` ≤ now: AppTaskStarted, on any instance;
 * 7. DRAINING, with tasks not moved yet, and the end of its chain of replacements ACTIVE: each such task is placed
 *    there (AppTaskPlaced, replacing it);
 * 8. DRAINING, the replacement of every task RUNNING, and the drain time (connection draining) passed since the
 *    last of them started: AppTaskStopped (INSTANCE_DRAINED) for each;
 * 9. DRAINING, empty, and not the replacement of an instance still there: InstanceDeregistered.
 * Invariants: a task stops for a drain only once its replacement runs, so a service's running count never drops
 * and no task is lost; an instance is deregistered only when it has no application task; nothing is left due at
 * `now` once the answer is folded (nextDueTime is then later than `now`), unless `maxEvents` cut it short.
 */
export function advanceFleet({ data }: AdvanceFleet, state: CapacityProviderState): FleetEvent[] {
  if (state.status !== 'ACTIVE' || state.index.unsettled.size === 0) return [];
  return new FleetAdvance(state, data).untilNothingIsDue();
}

/**
 * The earliest time something of the fleet falls due (a registration or its retry, a task start or its retry, the
 * end of a drain), or null when nothing will. `drainMs` is the connection-draining time the fleet is advanced with.
 */
export function nextDueTime(state: CapacityProviderState, drainMs: number): EpochMillis | null {
  if (state.status !== 'ACTIVE') return null;
  let next = Number.POSITIVE_INFINITY;
  for (const instanceId of state.index.unsettled) {
    const instance = state.fleet.instances.get(instanceId);
    if (!instance) continue;
    if (instance.registeredAt === null) next = Math.min(next, instance.registersAt);
    for (const task of instance.daemonTasks.values()) {
      if (task.status === 'PENDING') next = Math.min(next, task.runsAt);
      if (retriesOn(instance, task)) next = Math.min(next, task.retryAt!);
    }
    for (const task of instance.appTasks.values()) if (task.status === 'PENDING' && task.runsAt !== null) next = Math.min(next, task.runsAt);
    const drained = drainEndsAt(state.fleet, instance, drainMs);
    if (drained !== null) next = Math.min(next, drained);
  }
  return Number.isFinite(next) ? next : null;
}

/**
 * When a draining instance's application tasks may stop: `drainMs` after the last of their replacements started
 * running; null while a replacement does not run yet (or when the instance has no task to stop).
 */
function drainEndsAt(fleet: FleetState, instance: InstanceState, drainMs: number): EpochMillis | null {
  if (instance.status !== 'DRAINING' || instance.appTasks.size === 0) return null;
  let lastStarted = Number.NEGATIVE_INFINITY;
  for (const task of instance.appTasks.values()) {
    const replacement = task.replacedBy ? appTaskAt(fleet, task.replacedBy) : undefined;
    if (replacement?.status !== 'RUNNING' || replacement.startedAt === null) return null;
    lastStarted = Math.max(lastStarted, replacement.startedAt);
  }
  return lastStarted + drainMs;
}

/** A daemon task stopped by a failed start is retried at its `retryAt`, unless its instance is draining away. */
function retriesOn(instance: InstanceState, task: DaemonTaskState): boolean {
  return task.status === 'STOPPED' && task.retryAt !== null && instance.status !== 'DRAINING';
}

class FleetAdvance {
  private readonly draft: FleetDraft;
  private readonly context: FleetContext;
  private readonly now: EpochMillis;
  /** Instances a round changed, or whose neighbours it changed: the next round looks at them again. */
  private touched = new Set<string>();

  constructor(
    private readonly provider: ActiveCapacityProvider,
    private readonly data: AdvanceFleet['data'],
  ) {
    this.draft = new FleetDraft(provider.fleet, data.maxEvents);
    this.context = fleetContext(provider, 'capacityProvider');
    this.now = data.now;
  }

  untilNothingIsDue(): FleetEvent[] {
    let round: readonly string[] = [...this.provider.index.unsettled];
    while (round.length > 0 && !this.draft.full) {
      this.touched = new Set();
      for (const instanceId of round) {
        if (this.draft.full) break;
        this.advance(instanceId);
      }
      round = [...this.touched];
    }
    return this.draft.events;
  }

  private advance(instanceId: string): void {
    const instance = this.draft.instance(instanceId);
    if (!instance) return;
    const steps = [this.register, this.launchDaemons, this.retryDaemons, this.startDaemons, this.activate, this.startAppTasks, this.moveTasks, this.stopMovedTasks, this.deregister];
    for (const step of steps) {
      step.call(this, instance);
      if (this.draft.full) return;
    }
  }

  /** Emits one event about its instance; `neighbours` are instances that may have something due because of it. */
  private emit(event: FleetEvent, ...neighbours: (string | null | undefined)[]): boolean {
    if (!this.draft.emit(event)) return false;
    this.touched.add(event.data.instanceId);
    for (const neighbour of neighbours) if (neighbour) this.touched.add(neighbour);
    return true;
  }

  private register(instance: InstanceState): void {
    if (instance.registeredAt !== null || instance.registersAt > this.now) return;
    const fault = provisioningFault(this.data.faults, instance.plannedDaemons);
    this.emit(
      fault
        ? provisioningFailed(instance, fault, this.data.timings, this.now)
        : { type: 'InstanceRegistered', data: { instanceId: instance.instanceId, registeredAt: this.now } },
    );
  }

  private launchDaemons(instance: InstanceState): void {
    if (instance.registeredAt === null) return;
    for (const daemon of instance.plannedDaemons) {
      const launched: FleetEvent = {
        type: 'DaemonTaskLaunched',
        data: { instanceId: instance.instanceId, taskArn: newTaskArn(this.context, this.data.ids), daemon, launchedAt: this.now, runsAt: this.now + this.data.timings.daemonTaskStartMs },
      };
      if (!this.emit(launched)) return;
    }
  }

  private retryDaemons(instance: InstanceState): void {
    for (const task of [...instance.daemonTasks.values()]) {
      if (!retriesOn(instance, task) || task.retryAt! > this.now) continue;
      const launched: FleetEvent = {
        type: 'DaemonTaskLaunched',
        data: {
          instanceId: instance.instanceId,
          taskArn: newTaskArn(this.context, this.data.ids),
          daemon: this.retried(instance, task.daemon),
          launchedAt: this.now,
          runsAt: this.now + this.data.timings.daemonTaskStartMs,
        },
      };
      if (!this.emit(launched)) return;
    }
  }

  /** What a retry launches: the daemon's current revision on an instance not active yet, else the same task. */
  private retried(instance: InstanceState, failed: PlannedDaemonTask): PlannedDaemonTask {
    if (instance.activatedAt !== null) return failed;
    const current = this.data.placements?.find(
      (placement) => placement.daemonArn === failed.daemonArn && placement.capacityProviderArns.includes(instance.capacityProviderArn),
    );
    if (!current || current.daemonRevisionArn === failed.daemonRevisionArn) return failed;
    const { daemonArn, daemonRevisionArn, daemonTaskDefinitionArn, critical } = current;
    return { daemonArn, daemonRevisionArn, daemonTaskDefinitionArn, critical };
  }

  private startDaemons(instance: InstanceState): void {
    for (const task of [...instance.daemonTasks.values()]) {
      if (task.status !== 'PENDING' || task.runsAt > this.now) continue;
      const { instanceId } = instance;
      const fault = taskStartFault(this.data.faults, task.daemon);
      const event: FleetEvent = fault
        ? taskFailedToStart(instanceId, task, fault, this.data.timings, this.now)
        : { type: 'DaemonTaskStarted', data: { instanceId, taskArn: task.taskArn, daemonArn: task.daemon.daemonArn, startedAt: this.now } };
      if (!this.emit(event)) return;
    }
  }

  private activate(instance: InstanceState): void {
    if (instance.status !== 'REGISTERING' || instance.registeredAt === null || instance.plannedDaemons.length > 0) return;
    for (const task of instance.daemonTasks.values()) if (holdsActivation(task)) return;
    // The drained instances whose chain of replacements ends here may now move their tasks here (rule 7).
    this.emit({ type: 'InstanceActivated', data: { instanceId: instance.instanceId, activatedAt: this.now } }, ...this.replacedChain(instance));
  }

  private startAppTasks(instance: InstanceState): void {
    for (const task of [...instance.appTasks.values()]) {
      const { instanceId } = instance;
      if (instance.status === 'ACTIVE' && task.status === 'PROVISIONING') {
        const runsAt = this.now + this.data.timings.appTaskStartMs;
        if (!this.emit({ type: 'AppTaskStarting', data: { instanceId, taskArn: task.taskArn, startingAt: this.now, runsAt } })) return;
      }
      // The fold changed `task` in place: a task that starts with no delay runs at once.
      if (task.status === 'PENDING' && task.runsAt! <= this.now) {
        if (!this.emit({ type: 'AppTaskStarted', data: { instanceId, taskArn: task.taskArn, startedAt: this.now } }, task.replaces?.instanceId)) return;
      }
    }
  }

  private moveTasks(instance: InstanceState): void {
    if (instance.status !== 'DRAINING') return;
    const unmoved = [...instance.appTasks.values()].filter((task) => task.replacedBy === null);
    if (unmoved.length === 0) return;
    const target = this.endOfReplacements(instance);
    if (target?.status !== 'ACTIVE') return;
    for (const task of unmoved) {
      const placed: FleetEvent = {
        type: 'AppTaskPlaced',
        data: {
          instanceId: target.instanceId,
          taskArn: newTaskArn(this.context, this.data.ids),
          serviceArn: task.serviceArn,
          taskDefinitionArn: task.taskDefinitionArn,
          placedAt: this.now,
          replacesTask: { instanceId: instance.instanceId, taskArn: task.taskArn },
        },
      };
      if (!this.emit(placed)) return;
    }
  }

  private stopMovedTasks(instance: InstanceState): void {
    const stopsAt = drainEndsAt(this.draft.fleet, instance, this.data.timings.drainMs);
    if (stopsAt === null || stopsAt > this.now) return;
    for (const task of [...instance.appTasks.values()]) {
      const { instanceId } = instance;
      const stopped: FleetEvent = {
        type: 'AppTaskStopped',
        data: { instanceId, taskArn: task.taskArn, serviceArn: task.serviceArn, reason: 'INSTANCE_DRAINED', stoppedAt: this.now },
      };
      // A task this one replaced now faces a running replacement (a chain of moves): its instance may stop it.
      if (!this.emit(stopped, task.replaces?.instanceId)) return;
    }
  }

  private deregister(instance: InstanceState): void {
    if (instance.status !== 'DRAINING' || instance.appTasks.size > 0) return;
    // While the instance it replaces is there, its tasks are on their way through this one to the end of the chain.
    if (instance.replacesInstanceId !== null && this.draft.instance(instance.replacesInstanceId)) return;
    this.emit({ type: 'InstanceDeregistered', data: { instanceId: instance.instanceId, deregisteredAt: this.now } }, instance.drain?.replacementInstanceId);
  }

  /** Where a draining instance's tasks go: its replacement, or that one's replacement if it drains too, and so on. */
  private endOfReplacements(instance: InstanceState): InstanceState | undefined {
    let current: InstanceState | undefined = instance;
    while (current?.drain) current = this.draft.instance(current.drain.replacementInstanceId);
    return current;
  }

  /** The instances this one replaces, directly or through a chain of replacements, that are still there. */
  private replacedChain(instance: InstanceState): string[] {
    const chain: string[] = [];
    for (let replaced = instance.replacesInstanceId; replaced !== null; ) {
      const found = this.draft.instance(replaced);
      if (!found) break;
      chain.push(found.instanceId);
      replaced = found.replacesInstanceId;
    }
    return chain;
  }
}
