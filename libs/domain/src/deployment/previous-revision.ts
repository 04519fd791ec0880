import type { DeploymentCreated, DeploymentTargetRevision, EpochMillis } from '@daemonfleet/contracts';
import type { DeploymentState } from './deployment.state.js';

/**
 * The rollback target (spec 3.7: "the previous daemon revision: the one the last successful deployment put in
 * place"), kept per daemon from the deployments that ended well:
 * - SUCCESSFUL: its target revision is what the daemon runs (a delete deployment leaves none: the daemon is gone);
 * - ROLLBACK_SUCCESSFUL: its instances are back on its rollback target, which stays the daemon's stable revision.
 * A deployment stopped (superseded, or with nothing to roll back to) or whose rollback failed proves nothing, so
 * an earlier one still counts. A daemon created again under the same ARN starts with none (`forgetDaemon`).
 *
 * Ownership: changed in place (the caller's projection owns it). Deployments of one daemon run one after another
 * (an earlier one is stopped before a newer one opens), so every deployment before this one has finished by the
 * time its rollback needs the answer; `createdAt` guards against a late record of an older one.
 */
export type StableRevisions = Map<string, { readonly revision: DeploymentTargetRevision; readonly deploymentId: string; readonly createdAt: EpochMillis }>;

export const initialStableRevisions = (): StableRevisions => new Map();

/** Takes note of a deployment's end; anything but a good end changes nothing. */
export function recordFinishedDeployment(stable: StableRevisions, state: DeploymentState): void {
  const revision = state.status === 'SUCCESSFUL' ? state.targetRevision : state.status === 'ROLLBACK_SUCCESSFUL' ? state.rollbackTarget : null;
  if (revision === null || state.status === 'NONE') return;
  const known = stable.get(state.daemonArn);
  if (known && known.createdAt > state.createdAt) return;
  stable.set(state.daemonArn, { revision, deploymentId: state.deploymentId, createdAt: state.createdAt });
}

export function forgetDaemon(stable: StableRevisions, daemonArn: string): void {
  stable.delete(daemonArn);
}

/** What this deployment would roll back to; null when no earlier deployment of the daemon ended well (decision 6). */
export function previousRevisionOf(stable: StableRevisions, deployment: DeploymentCreated['data']): DeploymentTargetRevision | null {
  const known = stable.get(deployment.daemonArn);
  if (!known || known.deploymentId === deployment.deploymentId || known.createdAt > deployment.createdAt) return null;
  return known.revision;
}
