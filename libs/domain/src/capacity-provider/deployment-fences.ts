import type { CapacityProviderEvent, EpochMillis } from '@daemonfleet/contracts';
import type { FleetState } from '../fleet/fleet.state.js';
import { StaleFencingToken } from '../shared/domain-errors.js';

/**
 * The fencing of a deployment's commands to the fleet (architecture section 4): each carries the deployment's
 * stream version, its fence. Invariant: the fence of a deployment at the fleet only moves forward; any command with
 * a lower fence is refused. So every command the fleet accepts leaves its fence in the provider's stream, in the
 * same append as what it decided: on the InstanceDrainStarted and DaemonTaskAdopted events it decides, or, when it
 * decides none and its fence is newer than the one seen, on a DeploymentFenceAdvanced of its own. A command at the
 * fence seen already that changes nothing appends nothing: a resend stays idempotent.
 */
export interface DeploymentFence {
  readonly deploymentId: string;
  readonly fence: number;
  readonly now: EpochMillis;
}

/** Refuses a command whose fence is older than the one the provider's fleet saw for the deployment: a stale reconcile sent it. */
export function checkFence(fleet: FleetState, { deploymentId, fence }: DeploymentFence): void {
  const seen = fleet.fences.get(deploymentId);
  if (seen !== undefined && fence < seen) throw new StaleFencingToken(deploymentId, fence, seen);
}

/** What an accepted command decided, with its fence recorded when none of those events records it and it is newer. */
export function recordingFence(fleet: FleetState, { deploymentId, fence, now }: DeploymentFence, decided: CapacityProviderEvent[]): CapacityProviderEvent[] {
  const seen = fleet.fences.get(deploymentId);
  if ((seen !== undefined && seen >= fence) || decided.some((event) => fenceOf(event, deploymentId) === fence)) return decided;
  return [...decided, { type: 'DeploymentFenceAdvanced', data: { deploymentId, fence, advancedAt: now } }];
}

function fenceOf(event: CapacityProviderEvent, deploymentId: string): number | undefined {
  if (event.type !== 'InstanceDrainStarted' && event.type !== 'DaemonTaskAdopted' && event.type !== 'DeploymentFenceAdvanced') return undefined;
  return event.data.deploymentId === deploymentId ? event.data.fence : undefined;
}
