import type { DeploymentRollbackFailed, DeploymentRollbackStarted, DeploymentRolledBack, DeploymentStopped } from '@daemonfleet/contracts';
import { deploymentCounts } from './deployment-counts.js';
import {
  noRollbackStatusReason,
  rollbackFailedStatusReason,
  rollbackReason,
  rollbackSupersededStatusReason,
  rolledBackStatusReason,
} from './deployment-status-reasons.js';
import type { RollingBackDeployment, StopRequestedDeployment } from './deployment.state.js';
import type { Observation } from './observations.js';

/**
 * What follows STOP_REQUESTED (spec 3.7, decisions 6 and 22), at once:
 * - with a previous revision (`Observation.previousRevision`): the rollback starts, towards that revision, with the
 *   same drain budget; its providers are the previous revision's and the target's (the ones it may touch);
 * - without one (the daemon's first deployment, or none before ended well): STOPPED, saying there is nothing to
 *   roll back to. Instances already draining finish their replacement; the fleet may be left mixed.
 */
export function afterStopRequested(state: StopRequestedDeployment, { now, fleets, previousRevision }: Observation): DeploymentRollbackStarted | DeploymentStopped {
  if (previousRevision === null || previousRevision.arn === state.targetRevision?.arn)
    return {
      type: 'DeploymentStopped',
      data: { stoppedAt: now, reason: state.stopReason, statusReason: noRollbackStatusReason(state), finalCounts: deploymentCounts(state, fleets) },
    };
  const rollbackCapacityProviders = [...new Set([...previousRevision.capacityProviderArns, ...(state.targetRevision?.capacityProviderArns ?? [])])];
  return {
    type: 'DeploymentRollbackStarted',
    data: {
      rollback: { reason: rollbackReason(state), startedAt: now, rollbackTargetDaemonRevisionArn: previousRevision.arn, rollbackCapacityProviders },
      rollbackTarget: previousRevision,
      batchSize: state.batchSize,
    },
  };
}

/**
 * ROLLBACK_FAILED when the rollback cannot complete: the rollback target's own starts on this deployment's
 * replacements failed as often as the breaker allows (the same threshold, counted from the rollback's start, since
 * only the rollback launches that revision for this deployment). null while the rollback can still finish.
 */
export function rollbackBroken(state: RollingBackDeployment, { now, fleets, failedStarts }: Observation): DeploymentRollbackFailed | null {
  const failureCount = failedStarts[state.rollbackTarget.arn] ?? 0;
  const { threshold } = state.circuitBreaker;
  if (failureCount < threshold) return null;
  const statusReason = rollbackFailedStatusReason(state, state.rollbackTarget.arn, failureCount, threshold);
  return { type: 'DeploymentRollbackFailed', data: { finishedAt: now, statusReason, finalCounts: deploymentCounts(state, fleets) } };
}

/** A newer deployment replaced this one mid-rollback: the rollback did not finish (never STOPPED, decision 22). */
export function rollbackSuperseded(state: RollingBackDeployment, { now, fleets, supersededBy }: Pick<Observation, 'now' | 'fleets'> & { supersededBy: string }): DeploymentRollbackFailed {
  const statusReason = rollbackSupersededStatusReason(state, state.rollbackTarget.arn, supersededBy);
  return { type: 'DeploymentRollbackFailed', data: { finishedAt: now, statusReason, finalCounts: deploymentCounts(state, fleets) } };
}

/** Every instance in scope is back on the rollback target: ROLLBACK_SUCCESSFUL. */
export function rolledBack(state: RollingBackDeployment, { now, fleets }: Observation): DeploymentRolledBack {
  return {
    type: 'DeploymentRolledBack',
    data: { finishedAt: now, statusReason: rolledBackStatusReason(state, state.rollbackTarget.arn), finalCounts: deploymentCounts(state, fleets) },
  };
}
