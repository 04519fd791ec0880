import type {
  DeploymentCreated,
  DeploymentRollbackStarted,
  DeploymentStopReason,
  DeploymentTargetRevision,
  EpochMillis,
  InstanceInScope,
  RevisionInstanceCounts,
} from '@daemonfleet/contracts';

type Created = DeploymentCreated['data'];

/** The batch being drained and replaced. There is never more than one (decision 3). */
export interface OpenBatch {
  readonly batch: number;
  readonly instances: readonly InstanceInScope[];
}

/** The alarms a deployment watches from its start to the end of its bake (spec 3.5, decision 4). */
export interface AlarmWatch {
  /** Fixed at the start; empty when monitoring is disabled. */
  readonly monitored: readonly string[];
  /** In ALARM at the start: ignored while the number of times they went into ALARM is the one recorded here. */
  readonly ignoredAtStart: readonly string[];
  readonly timesInAlarmAtStart: Readonly<Record<string, number>>;
  /** Went into ALARM while watched: `triggeredAlarmNames`. */
  readonly triggered: readonly string[];
}

/** Fixed when the deployment starts (decisions 1 and 3), then moved forward by its own events. */
export interface RolloutProgress {
  readonly startedAt: EpochMillis;
  readonly instancesInScope: number;
  /** The drain budget, the same for the rollback (spec 3.7). */
  readonly batchSize: number;
  /** `failureCount` as last recorded: it stops moving once the breaker tripped (decision 1). */
  readonly circuitBreaker: { readonly threshold: number; readonly failureCount: number };
  readonly alarms: AlarmWatch;
  /** The counts last recorded on the deployment's events: as it found the fleet, then as it left it (finalCounts). */
  readonly revisionCounts: readonly RevisionInstanceCounts[];
  /** Instances whose daemon task the current phase (rollout or rollback) adopted (decision 12); the fleet relabels them. */
  readonly adoptedInstanceIds: ReadonlySet<string>;
  /** Batches requested so far, the rollback's included: the open batch, if any, is number `batchesRequested`. */
  readonly batchesRequested: number;
  readonly openBatch: OpenBatch | null;
}

export interface Bake {
  readonly bakeStartedAt: EpochMillis;
  readonly bakeEndsAt: EpochMillis;
}

export interface DeploymentStop {
  readonly stoppedAt: EpochMillis;
  readonly stopReason: DeploymentStopReason;
  readonly statusReason: string;
}

/**
 * Why forward progress stopped; `stoppedAt` is when (spec 3.11 allows it from STOP_REQUESTED on). `stopStatusReason`
 * keeps the stop's own words, which every later statusReason starts with.
 */
export type StopRequest = DeploymentStop & { readonly stopReason: 'CIRCUIT_BREAKER' | 'ALARM'; readonly stopStatusReason: string };

/** The rollback: the wire's `rollback` object, and the revision instances go back to as a rollout target. */
export interface Rollback {
  readonly rollback: DeploymentRollbackStarted['data']['rollback'];
  readonly rollbackTarget: DeploymentTargetRevision;
}

export type PendingDeployment = Created & { readonly status: 'PENDING' };
/** `bake` is set once the last batch is replaced and the bake time runs (decision 4); the status stays IN_PROGRESS. */
export type InProgressDeployment = Created & RolloutProgress & { readonly status: 'IN_PROGRESS'; readonly bake: Bake | null };
export type SuccessfulDeployment = Created &
  RolloutProgress & { readonly status: 'SUCCESSFUL'; readonly statusReason: string; readonly finishedAt: EpochMillis };
/** The breaker tripped or an alarm fired: no more forward batches; a rollback or a stop follows at once. */
export type StopRequestedDeployment = Created & RolloutProgress & StopRequest & { readonly status: 'STOP_REQUESTED' };
/** The same batch mechanics, towards `rollbackTarget`; its statusReason says why and where to. */
export type RollingBackDeployment = Created & RolloutProgress & StopRequest & Rollback & { readonly status: 'ROLLBACK_IN_PROGRESS' };
type RollbackEnd = Created & RolloutProgress & StopRequest & Rollback & { readonly finishedAt: EpochMillis };
/** Every instance in scope is back on the rollback target. */
export type RolledBackDeployment = RollbackEnd & { readonly status: 'ROLLBACK_SUCCESSFUL' };
/** The rollback could not finish: the rollback target failed to start too, or a newer deployment replaced it. */
export type RollbackFailedDeployment = RollbackEnd & { readonly status: 'ROLLBACK_FAILED' };
/** A deployment stopped while PENDING never started: it has no rollout, only the counts it was stopped with. */
export type StoppedDeployment = Created &
  DeploymentStop & { readonly status: 'STOPPED' } & (RolloutProgress | { readonly startedAt: null; readonly revisionCounts: readonly RevisionInstanceCounts[] });

/**
 * A deployment's state is a union on its status: each status carries only what is valid in it (spec 3.1):
 * PENDING → IN_PROGRESS → SUCCESSFUL; PENDING | IN_PROGRESS | STOP_REQUESTED → STOPPED;
 * IN_PROGRESS → STOP_REQUESTED → ROLLBACK_IN_PROGRESS → ROLLBACK_SUCCESSFUL | ROLLBACK_FAILED.
 */
export type DeploymentState =
  | { readonly status: 'NONE' }
  | PendingDeployment
  | InProgressDeployment
  | SuccessfulDeployment
  | StopRequestedDeployment
  | RollingBackDeployment
  | RolledBackDeployment
  | RollbackFailedDeployment
  | StoppedDeployment;

export type DeploymentStatus = Exclude<DeploymentState['status'], 'NONE'>;

/** What the reconcile loop still works on: the resync tick reconciles these, a newer deployment stops them. */
export type UnfinishedDeployment = PendingDeployment | InProgressDeployment | StopRequestedDeployment | RollingBackDeployment;

/** The deployments whose batches move instances: forward to the target, or back to the rollback target. */
export type RollingDeployment = InProgressDeployment | RollingBackDeployment;

export const TERMINAL_STATUSES: readonly DeploymentStatus[] = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

export const SUCCESS_STATUS_REASON = 'Deployment completed successfully.';

export function isTerminal(state: DeploymentState): boolean {
  return state.status !== 'NONE' && TERMINAL_STATUSES.includes(state.status);
}

export function isUnfinished(state: DeploymentState): state is UnfinishedDeployment {
  return state.status !== 'NONE' && !isTerminal(state);
}

export const initialDeploymentState = (): DeploymentState => ({ status: 'NONE' });
