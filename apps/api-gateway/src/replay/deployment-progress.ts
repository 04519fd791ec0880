import { recordedDeploymentCounts, type DeploymentState } from '@daemonfleet/domain';

type Known = Exclude<DeploymentState, { status: 'NONE' }>;

/** Where a deployment stands, in the figures a progress bar shows; derived from its state alone. */
export interface DeploymentProgress {
  readonly status: Known['status'];
  readonly phase: 'pending' | 'rolling out' | 'baking' | 'stopping' | 'rolling back' | 'finished';
  /** The revision instances are moving to: the target, or the rollback's target (null: a delete deployment). */
  readonly towardsRevisionArn: string | null;
  readonly instancesInScope: number;
  /**
   * Instances the counts last recorded show running the revision moved to and staying there (running, not
   * draining: a drained instance goes away, even one whose task still runs it). 0 for a delete deployment.
   */
  readonly instancesOnTarget: number;
  readonly batchSize: number;
  readonly batchesRequested: number;
  /** Requested and replaced: the open batch, if any, is not done. */
  readonly batchesDone: number;
  /** The rollout's batches, as its start fixed them: instances in scope over the batch size. */
  readonly batchesPlanned: number;
  readonly failureCount: number;
  readonly failureThreshold: number;
  /** Epoch milliseconds; set while baking. */
  readonly bakeEndsAt: number | null;
}

export function deploymentProgress(state: Known): DeploymentProgress {
  const towards = 'rollbackTarget' in state ? state.rollbackTarget.arn : (state.targetRevision?.arn ?? null);
  const counts = recordedDeploymentCounts(state);
  const onTarget = towards === null ? 0 : counts.filter((c) => c.revisionArn === towards).flatMap((c) => c.capacityProviders).reduce((sum, c) => sum + Math.max(0, c.running - c.draining), 0);
  const bakeEndsAt = state.status === 'IN_PROGRESS' && state.bake ? state.bake.bakeEndsAt : null;
  // Not started (PENDING), or stopped before it started: no scope, no batches.
  if (!('batchSize' in state)) {
    const phase = state.status === 'PENDING' ? 'pending' : 'finished';
    const none = { instancesInScope: 0, batchSize: 0, batchesRequested: 0, batchesDone: 0, batchesPlanned: 0, failureCount: 0, failureThreshold: 0 };
    return { status: state.status, phase, towardsRevisionArn: towards, instancesOnTarget: onTarget, ...none, bakeEndsAt };
  }
  return {
    status: state.status,
    phase: phaseOf(state.status, bakeEndsAt !== null),
    towardsRevisionArn: towards,
    instancesInScope: state.instancesInScope,
    instancesOnTarget: onTarget,
    batchSize: state.batchSize,
    batchesRequested: state.batchesRequested,
    batchesDone: state.batchesRequested - (state.openBatch ? 1 : 0),
    batchesPlanned: Math.ceil(state.instancesInScope / state.batchSize),
    failureCount: state.circuitBreaker.failureCount,
    failureThreshold: state.circuitBreaker.threshold,
    bakeEndsAt,
  };
}

function phaseOf(status: Known['status'], baking: boolean): DeploymentProgress['phase'] {
  switch (status) {
    case 'IN_PROGRESS':
      return baking ? 'baking' : 'rolling out';
    case 'STOP_REQUESTED':
      return 'stopping';
    case 'ROLLBACK_IN_PROGRESS':
      return 'rolling back';
    case 'PENDING':
      return 'pending';
    default:
      return 'finished';
  }
}
