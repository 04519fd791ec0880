import type { DaemonDeploymentConfigurationSpec } from './daemon.events.js';
import type { EpochMillis, Event } from './event.js';

/** What a deployment rolls out: the parts of the target revision that decide which instances are in scope. */
export interface DeploymentTargetRevision {
  readonly arn: string;
  readonly daemonTaskDefinitionArn: string;
  readonly capacityProviderArns: readonly string[];
  readonly critical: boolean;
}

export type DeploymentCreated = Event<
  'DeploymentCreated',
  {
    readonly deploymentId: string;
    readonly daemonDeploymentArn: string;
    readonly daemonArn: string;
    readonly clusterArn: string;
    /** null for the deployment of a DeleteDaemon, which drains the daemon away (decision 7). */
    readonly targetRevision: DeploymentTargetRevision | null;
    readonly sourceRevisionArns: readonly string[];
    readonly deploymentConfiguration: DaemonDeploymentConfigurationSpec;
    readonly createdAt: EpochMillis;
  }
>;

/** How many instances of one capacity provider run, lack or are draining one revision (spec 3.10). */
export interface CapacityProviderInstanceCounts {
  readonly capacityProviderArn: string;
  readonly running: number;
  /** Non-critical daemons only: instances that should run the daemon but have no running task of it. */
  readonly withoutDaemon: number;
  /** Instances of this revision draining for this deployment; also counted in `running` while the task runs. */
  readonly draining: number;
}

export interface RevisionInstanceCounts {
  readonly revisionArn: string;
  readonly capacityProviders: readonly CapacityProviderInstanceCounts[];
}

/** The orchestrator looked at the fleet and began: the scope and the budget are fixed from here on (decision 3). */
export type DeploymentStarted = Event<
  'DeploymentStarted',
  {
    readonly startedAt: EpochMillis;
    readonly instancesInScope: number;
    readonly batchSize: number;
    readonly circuitBreakerThreshold: number;
    /** Alarms watched from now to the end of the bake; empty when alarm monitoring is disabled. */
    readonly monitoredAlarmNames: readonly string[];
    /** Alarms already in ALARM at the start: ignored until they leave ALARM (spec 3.5). */
    readonly alarmsInAlarmAtStart: readonly string[];
    /**
     * For each of `alarmsInAlarmAtStart`, how many times it had gone into ALARM by the start: it stays ignored while
     * that number is unchanged, so leaving ALARM and going back counts however quickly it happens. Schema version 2:
     * version 1 events may lack it, and are upcast with `{}` (event-schemas.ts): such an alarm is then ignored for
     * as long as it is in ALARM.
     */
    readonly timesInAlarmAtStart: Readonly<Record<string, number>>;
    /** The fleet as the deployment found it: the target revision and every source revision. */
    readonly revisionCounts: readonly RevisionInstanceCounts[];
  }
>;

export interface InstanceInScope {
  readonly instanceId: string;
  readonly capacityProviderArn: string;
}

/** Instances whose daemon task already matches the target (decision 12): relabelled, not cycled. */
export type DaemonTasksAdopted = Event<'DaemonTasksAdopted', { readonly instances: readonly InstanceInScope[]; readonly adoptedAt: EpochMillis }>;

/** The next batch (decision 3): these instances are to be drained and replaced. Never more than `batchSize`. */
export type InstanceDrainsRequested = Event<
  'InstanceDrainsRequested',
  { readonly batch: number; readonly instances: readonly InstanceInScope[]; readonly requestedAt: EpochMillis }
>;

/** The batch is done: each drained instance is gone and its replacement runs the target (or no task of the daemon). */
export type InstancesReplaced = Event<
  'InstancesReplaced',
  {
    readonly batch: number;
    readonly instances: readonly (InstanceInScope & { readonly replacementInstanceId: string })[];
    readonly replacedAt: EpochMillis;
  }
>;

/**
 * The counts the deployment shows (spec 3.10) changed since it last recorded them: the orchestrator saw the fleet
 * move while the deployment rolls (or rolls back). DescribeDaemonDeployments answers from the last counts recorded,
 * so the deployment's stream alone says what it showed at each of its versions.
 */
export type DeploymentCountsObserved = Event<
  'DeploymentCountsObserved',
  { readonly revisionCounts: readonly RevisionInstanceCounts[]; readonly observedAt: EpochMillis }
>;

/** Every instance in scope is done: the bake time runs until `bakeEndsAt`, alarms still watched (decision 4). */
export type DeploymentBakeStarted = Event<'DeploymentBakeStarted', { readonly bakeStartedAt: EpochMillis; readonly bakeEndsAt: EpochMillis }>;

export type DeploymentSucceeded = Event<
  'DeploymentSucceeded',
  { readonly finishedAt: EpochMillis; readonly finalCounts: readonly RevisionInstanceCounts[] }
>;

/**
 * Why a deployment stopped: a newer deployment replaced it, or (with no earlier revision to roll back to,
 * decision 6) its circuit breaker or an alarm stopped it.
 */
export type DeploymentStopReason = 'SUPERSEDED' | 'CIRCUIT_BREAKER' | 'ALARM';

/** More failed daemon task starts on the target revision were seen (decision 1): the breaker's count now. */
export type CircuitBreakerFailuresRecorded = Event<
  'CircuitBreakerFailuresRecorded',
  { readonly failureCount: number; readonly recordedAt: EpochMillis }
>;

/** Monitored alarms went into ALARM (spec 3.5): their names join `triggeredAlarmNames`. */
export type DeploymentAlarmsTriggered = Event<
  'DeploymentAlarmsTriggered',
  { readonly alarmNames: readonly string[]; readonly triggeredAt: EpochMillis }
>;

/** Forward progress stops (STOP_REQUESTED): the breaker tripped or an alarm fired. */
export type DeploymentStopRequested = Event<
  'DeploymentStopRequested',
  { readonly reason: 'CIRCUIT_BREAKER' | 'ALARM'; readonly statusReason: string; readonly requestedAt: EpochMillis }
>;

/** The rollback to the previous revision begins (ROLLBACK_IN_PROGRESS), with the same drain → replace mechanics. */
export type DeploymentRollbackStarted = Event<
  'DeploymentRollbackStarted',
  {
    readonly rollback: {
      readonly reason: string;
      readonly startedAt: EpochMillis;
      readonly rollbackTargetDaemonRevisionArn: string;
      readonly rollbackCapacityProviders: readonly string[];
    };
    /** The revision instances are rolled back to, as a deployment target. */
    readonly rollbackTarget: DeploymentTargetRevision;
    readonly batchSize: number;
  }
>;

/** Every affected instance is back on the previous revision (ROLLBACK_SUCCESSFUL). */
export type DeploymentRolledBack = Event<
  'DeploymentRolledBack',
  { readonly finishedAt: EpochMillis; readonly statusReason: string; readonly finalCounts: readonly RevisionInstanceCounts[] }
>;

/** The rollback could not finish, e.g. the previous revision fails to start too (ROLLBACK_FAILED). */
export type DeploymentRollbackFailed = Event<
  'DeploymentRollbackFailed',
  { readonly finishedAt: EpochMillis; readonly statusReason: string; readonly finalCounts: readonly RevisionInstanceCounts[] }
>;

/** Halted before its end: the fleet may be left with a mix of revisions (spec 3.1). */
export type DeploymentStopped = Event<
  'DeploymentStopped',
  {
    readonly stoppedAt: EpochMillis;
    readonly reason: DeploymentStopReason;
    readonly statusReason: string;
    readonly finalCounts: readonly RevisionInstanceCounts[];
  }
>;

export type DeploymentEvent =
  | DeploymentCreated
  | DeploymentStarted
  | DaemonTasksAdopted
  | InstanceDrainsRequested
  | InstancesReplaced
  | DeploymentCountsObserved
  | DeploymentBakeStarted
  | DeploymentSucceeded
  | DeploymentStopped
  | CircuitBreakerFailuresRecorded
  | DeploymentAlarmsTriggered
  | DeploymentStopRequested
  | DeploymentRollbackStarted
  | DeploymentRolledBack
  | DeploymentRollbackFailed;
