import type { FleetEvent } from '@daemonfleet/contracts';
import type { FleetState, InstanceState } from '../fleet/fleet.state.js';

/**
 * Lookups over one provider's fleet, kept current event by event (see evolveCapacityProvider) so that neither the
 * simulation step nor a service's count has to scan 10,000 instances.
 * Invariants, after every event:
 * - `unsettled` holds exactly the instances that are not settled (isSettled);
 * - `tasksByService` holds exactly the application tasks of the fleet, by service ARN, task ARN → instance id.
 * Both hold because instances are deregistered only when empty (AdvanceFleet's rule), so removing an instance never
 * removes a task the index still lists.
 */
export interface FleetIndex {
  readonly unsettled: Set<string>;
  readonly tasksByService: Map<string, Map<string, string>>;
}

export const emptyFleetIndex = (): FleetIndex => ({ unsettled: new Set(), tasksByService: new Map() });

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

/** Brings the index up to date with one event, already folded into `fleet`. */
export function indexFleetEvent(index: FleetIndex, fleet: FleetState, event: FleetEvent): void {
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
