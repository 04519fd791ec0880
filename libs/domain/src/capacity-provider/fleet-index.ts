import type { AppTaskRef, FleetEvent } from '@daemonfleet/contracts';
import { appTaskAt, type AppTaskState, type FleetState, type InstanceState } from '../fleet/fleet.state.js';

/**
 * Lookups over one provider's fleet, kept current event by event (see evolveCapacityProvider) so that neither the
 * simulation step nor a service's count has to scan 10,000 instances.
 * Invariants, after every event:
 * - `unsettled` holds exactly the instances that are not settled (isSettled);
 * - `tasksByService` holds exactly the application tasks of the fleet, by service ARN, task ARN → instance id;
 * - `tallies` holds, per service with a task here, what a scan of its tasks would count (ServiceTaskTally), and
 *   `shares` what each task adds to it.
 * They hold because instances are deregistered only when empty (AdvanceFleet's rule), so removing an instance never
 * removes a task the index still lists, and because only the application task events change whether a task counts
 * (see appTasksTouchedBy).
 */
export interface FleetIndex {
  readonly unsettled: Set<string>;
  readonly tasksByService: Map<string, Map<string, string>>;
  readonly tallies: Map<string, ServiceTaskTally>;
  readonly shares: Map<string, TaskShare>;
}

/** A service's tasks on one provider. */
export interface ServiceTaskTally {
  /** Tasks that count for the service: every task but one that a replacement is taking over from. */
  counted: number;
  /** Of those, the RUNNING ones. */
  running: number;
  /** Every task of the service on the provider, replaced ones included: a deleted service is gone at 0. */
  total: number;
}

/** What one application task adds to its service's tally. */
interface TaskShare {
  readonly serviceArn: string;
  readonly counted: boolean;
  readonly running: boolean;
}

export const emptyFleetIndex = (): FleetIndex => ({ unsettled: new Set(), tasksByService: new Map(), tallies: new Map(), shares: new Map() });

/**
 * Settled: ACTIVE, every daemon launched and running, every application task running. Nothing will ever be due on
 * a settled instance until a command changes it, so the simulation step skips it.
 */
export function isSettled(instance: InstanceState): boolean {
  if (instance.status !== 'ACTIVE' || instance.plannedDaemons.length > 0) return false;
  for (const task of instance.daemonTasks.values()) if (task.status !== 'RUNNING') return false;
  for (const task of instance.appTasks.values()) if (task.status !== 'RUNNING') return false;
  return true;
}

/**
 * The application tasks whose share of a tally an event may change, read before the event is folded (a stopped
 * task's links are gone after it): the task it names, and the tasks linked to it as replaced or replacement.
 */
export function appTasksTouchedBy(fleet: FleetState, event: FleetEvent): AppTaskRef[] {
  switch (event.type) {
    case 'AppTaskPlaced':
      return event.data.replacesTask ? [refOf(event.data), event.data.replacesTask] : [refOf(event.data)];
    case 'AppTaskStarting':
    case 'AppTaskStarted':
      return [refOf(event.data)];
    case 'AppTaskStopped': {
      const task = appTaskAt(fleet, refOf(event.data));
      return [refOf(event.data), ...(task?.replaces ? [task.replaces] : []), ...(task?.replacedBy ? [task.replacedBy] : [])];
    }
    case 'InstanceDeregistered': {
      const { instanceId } = event.data;
      return [...(fleet.instances.get(instanceId)?.appTasks.keys() ?? [])].map((taskArn) => ({ instanceId, taskArn }));
    }
    default:
      return [];
  }
}

/**
 * Brings the index up to date with one event, already folded into `fleet`; `touched` is what appTasksTouchedBy
 * gave before the fold.
 */
export function indexFleetEvent(index: FleetIndex, fleet: FleetState, event: FleetEvent, touched: readonly AppTaskRef[]): void {
  for (const ref of touched) retally(index, ref.taskArn, appTaskAt(fleet, ref));
  const { instanceId } = event.data;
  const instance = fleet.instances.get(instanceId);
  if (event.type === 'AppTaskPlaced' && instance?.appTasks.has(event.data.taskArn)) {
    const tasks = index.tasksByService.get(event.data.serviceArn) ?? new Map<string, string>();
    index.tasksByService.set(event.data.serviceArn, tasks.set(event.data.taskArn, instanceId));
  }
  if (event.type === 'AppTaskStopped') {
    const tasks = index.tasksByService.get(event.data.serviceArn);
    tasks?.delete(event.data.taskArn);
    if (tasks?.size === 0) index.tasksByService.delete(event.data.serviceArn);
  }
  if (instance && !isSettled(instance)) index.unsettled.add(instanceId);
  else index.unsettled.delete(instanceId);
}

/** Moves a task's share of its service's tally from what it was to what the task adds now (nothing once gone). */
function retally(index: FleetIndex, taskArn: string, task: AppTaskState | undefined): void {
  const before = index.shares.get(taskArn);
  const after = task && shareOf(task);
  if (before) addShare(index.tallies, before, -1);
  if (after) addShare(index.tallies, after, 1);
  if (after) index.shares.set(taskArn, after);
  else index.shares.delete(taskArn);
}

function shareOf(task: AppTaskState): TaskShare {
  const counted = task.replacedBy === null;
  return { serviceArn: task.serviceArn, counted, running: counted && task.status === 'RUNNING' };
}

function addShare(tallies: Map<string, ServiceTaskTally>, share: TaskShare, sign: 1 | -1): void {
  const tally = tallies.get(share.serviceArn) ?? { counted: 0, running: 0, total: 0 };
  tally.total += sign;
  if (share.counted) tally.counted += sign;
  if (share.running) tally.running += sign;
  if (tally.total === 0) tallies.delete(share.serviceArn);
  else tallies.set(share.serviceArn, tally);
}

function refOf(data: { readonly instanceId: string; readonly taskArn: string }): AppTaskRef {
  return { instanceId: data.instanceId, taskArn: data.taskArn };
}
