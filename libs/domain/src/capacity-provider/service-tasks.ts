import type { AppTaskStopReason, AppTaskStopped, EpochMillis, FleetEvent } from '@daemonfleet/contracts';
import { appTaskAt, heldBackByFailedDaemon, type AppTaskState, type FleetState, type InstanceState } from '../fleet/fleet.state.js';
import { InvalidParameter } from '../shared/domain-errors.js';
import { requireProvider, type ActiveCapacityProvider, type CapacityProviderState } from './capacity-provider.state.js';
import { FleetDraft } from './fleet-draft.js';
import type { ServiceTaskTally } from './fleet-index.js';
import { fleetContext, instanceProvisioned, newTaskArn, plannedDaemonsFor, type DaemonPlacement, type FleetIds, type FleetTimings } from './fleet-simulation.js';

/**
 * A service's tasks on one provider, driven by the service reconciler. Both commands are levels, not deltas: they
 * bring the service's count on the provider to `targetCount`, so a repeated or concurrent command (two replicas
 * reconciling at once) places or stops nothing twice. The count is that of serviceTaskCount: a task and the
 * replacement it is moving to count once.
 */
export type PlaceServiceTasks = {
  readonly type: 'PlaceServiceTasks';
  readonly data: {
    readonly capacityProvider: string;
    readonly serviceArn: string;
    readonly taskDefinitionArn: string;
    readonly targetCount: number;
    /** Room for application tasks on one instance (TASKS_PER_INSTANCE). */
    readonly tasksPerInstance: number;
    readonly placements: readonly DaemonPlacement[];
    readonly timings: FleetTimings;
    readonly now: EpochMillis;
    readonly ids: FleetIds;
    readonly maxEvents?: number;
  };
};

export type StopServiceTasks = {
  readonly type: 'StopServiceTasks';
  readonly data: {
    readonly capacityProvider: string;
    readonly serviceArn: string;
    readonly targetCount: number;
    readonly reason: Extract<AppTaskStopReason, 'SERVICE_SCALED_IN' | 'SERVICE_DELETED'>;
    readonly now: EpochMillis;
    readonly maxEvents?: number;
  };
};

export type ServiceTaskCount = Readonly<ServiceTaskTally>;

/** Read from the provider's index, which keeps it current event by event: a reconcile per event stays cheap. */
export function serviceTaskCount(provider: ActiveCapacityProvider, serviceArn: string): ServiceTaskCount {
  const tally = provider.index.tallies.get(serviceArn);
  return tally ? { ...tally } : { counted: 0, running: 0, total: 0 };
}

/**
 * Fills free room first, ACTIVE instances before REGISTERING ones (DRAINING instances take no new task, nor do
 * instances held out of service by a critical daemon that failed to start: spec 3.8), then
 * provisions instances (SERVICE_SCALE_OUT) with the task placed on them at once: PROVISIONING until the instance
 * is ACTIVE, its daemons first (spec 3.9).
 */
export function placeServiceTasks({ data }: PlaceServiceTasks, state: CapacityProviderState): FleetEvent[] {
  const provider = requireProvider(state, data.capacityProvider);
  if (!Number.isInteger(data.tasksPerInstance) || data.tasksPerInstance < 1)
    throw new InvalidParameter('tasksPerInstance', `tasksPerInstance: ${data.tasksPerInstance} is not a whole number of 1 or more`);
  let missing = data.targetCount - serviceTaskCount(provider, data.serviceArn).counted;
  if (missing <= 0) return [];
  const context = fleetContext(provider, 'capacityProviderStrategy');
  const draft = new FleetDraft(provider.fleet, data.maxEvents);
  const { serviceArn, taskDefinitionArn, now, ids } = data;
  const placed = (instanceId: string): FleetEvent => ({
    type: 'AppTaskPlaced',
    data: { instanceId, taskArn: newTaskArn(context, ids), serviceArn, taskDefinitionArn, placedAt: now },
  });
  for (const { instanceId, free } of freeRoom(provider.fleet, data.tasksPerInstance)) {
    for (let taken = 0; taken < free && missing > 0; taken++, missing--) if (!draft.emit(placed(instanceId))) return draft.events;
  }
  const daemons = plannedDaemonsFor(provider.capacityProviderArn, data.placements);
  while (missing > 0) {
    const provisioned = instanceProvisioned(context, { reason: 'SERVICE_SCALE_OUT', replacesInstanceId: null, deploymentId: null, daemons, now, timings: data.timings, ids });
    const tasks = Array.from({ length: Math.min(missing, data.tasksPerInstance) }, () => placed(provisioned.data.instanceId));
    if (!draft.emit(provisioned, ...tasks)) break;
    missing -= tasks.length;
  }
  return draft.events;
}

/**
 * Stops the least advanced tasks first (PROVISIONING, then PENDING, then RUNNING; on a draining instance first),
 * each with the tasks it is taking over from, which would otherwise move again and count again.
 */
export function stopServiceTasks({ data }: StopServiceTasks, state: CapacityProviderState): AppTaskStopped[] {
  const provider = requireProvider(state, data.capacityProvider);
  const excess = serviceTaskCount(provider, data.serviceArn).counted - data.targetCount;
  if (excess <= 0) return [];
  const draft = new FleetDraft(provider.fleet, data.maxEvents);
  const stopped = (instanceId: string, task: AppTaskState): AppTaskStopped => ({
    type: 'AppTaskStopped',
    data: { instanceId, taskArn: task.taskArn, serviceArn: task.serviceArn, reason: data.reason, stoppedAt: data.now },
  });
  for (const victim of countedTasks(provider, data.serviceArn).sort(byStopPreference).slice(0, excess)) {
    const chain = [stopped(victim.instance.instanceId, victim.task)];
    for (let replaced = victim.task.replaces; replaced !== null; ) {
      const task = appTaskAt(provider.fleet, replaced)!;
      chain.push(stopped(replaced.instanceId, task));
      replaced = task.replaces;
    }
    if (!draft.emit(...chain)) break;
  }
  return draft.events as AppTaskStopped[];
}

interface Room {
  readonly instanceId: string;
  readonly free: number;
}

/**
 * Free room per instance that takes new tasks. A replacement keeps room for the tasks on their way to it from the
 * instances it replaces, so a move always finds its place.
 */
function freeRoom(fleet: FleetState, tasksPerInstance: number): Room[] {
  const active: Room[] = [];
  const registering: Room[] = [];
  for (const instance of fleet.instances.values()) {
    if (instance.status === 'DRAINING' || heldBackByFailedDaemon(instance)) continue;
    let free = tasksPerInstance - instance.appTasks.size;
    for (let replaced = predecessorOf(fleet, instance); replaced; replaced = predecessorOf(fleet, replaced))
      for (const task of replaced.appTasks.values()) if (task.replacedBy === null) free--;
    if (free > 0) (instance.status === 'ACTIVE' ? active : registering).push({ instanceId: instance.instanceId, free });
  }
  return [...active, ...registering];
}

/** The instance this one was provisioned to replace, while it is still there (draining). */
function predecessorOf(fleet: FleetState, instance: InstanceState): InstanceState | undefined {
  return instance.replacesInstanceId === null ? undefined : fleet.instances.get(instance.replacesInstanceId);
}

interface LocatedTask {
  readonly instance: InstanceState;
  readonly task: AppTaskState;
}

function countedTasks(provider: ActiveCapacityProvider, serviceArn: string): LocatedTask[] {
  const located: LocatedTask[] = [];
  for (const [taskArn, instanceId] of provider.index.tasksByService.get(serviceArn) ?? []) {
    const instance = provider.fleet.instances.get(instanceId);
    const task = instance?.appTasks.get(taskArn);
    if (instance && task && task.replacedBy === null) located.push({ instance, task });
  }
  return located;
}

const STATUS_RANK = { PROVISIONING: 0, PENDING: 1, RUNNING: 2 } as const;

function byStopPreference(a: LocatedTask, b: LocatedTask): number {
  const rank = (located: LocatedTask) => STATUS_RANK[located.task.status] * 2 + (located.instance.status === 'DRAINING' ? 0 : 1);
  return rank(a) - rank(b);
}
