import type { DaemonTaskFailedToStart } from '@daemonfleet/contracts';
import type { InstanceState } from '../fleet/fleet.state.js';

/**
 * What the circuit breaker counts (decision 1): daemon task starts that failed on the replacement instances a
 * deployment launched, per deployment and revision. Every failed attempt counts once (each is its own
 * DaemonTaskFailedToStart); a failure on an instance no deployment launched (scale-out), or of provisioning, is
 * nobody's. Counting by launching deployment rather than by time keeps it a fold of the fleet's events: replicas
 * agree, a restart rebuilds it, and a rollback's count of its target starts at 0 whatever that revision did before.
 *
 * Ownership: changed in place by `recordFailedStart` (as a fleet state is); the caller owns it.
 */
export type FailedStarts = Map<string, Map<string, number>>;

export const initialFailedStarts = (): FailedStarts => new Map();

/** Counts one failed start; `instance` is the instance it names, as the fleet state holds it (undefined: unknown). */
export function recordFailedStart(counts: FailedStarts, instance: InstanceState | undefined, event: DaemonTaskFailedToStart): void {
  const deploymentId = instance?.deploymentId;
  if (!deploymentId) return;
  const byRevision = counts.get(deploymentId) ?? new Map<string, number>();
  counts.set(deploymentId, byRevision);
  const revisionArn = event.data.daemon.daemonRevisionArn;
  byRevision.set(revisionArn, (byRevision.get(revisionArn) ?? 0) + 1);
}

/** The deployment's counts by revision ARN: the observation's `failedStarts`. */
export function failedStartsOf(counts: FailedStarts, deploymentId: string): Readonly<Record<string, number>> {
  return Object.fromEntries(counts.get(deploymentId) ?? []);
}
