/**
 * The parts of the gateway's answers the command line reads (the replay API and DescribeDaemonDeployments'
 * `daemonDeployment`); the gateway's OpenAPI document at /docs has them all.
 */

export interface RevisionCounts {
  readonly arn: string;
  readonly capacityProviders: readonly { readonly arn: string; readonly runningInstanceCount: number; readonly withoutDaemonInstanceCount: number; readonly drainingInstanceCount: number }[];
  readonly totalRunningInstanceCount: number;
  readonly totalWithoutDaemonInstanceCount: number;
  readonly totalDrainingInstanceCount: number;
}

export interface DaemonDeployment {
  readonly daemonDeploymentArn: string;
  readonly clusterArn: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly stoppedAt?: number;
  readonly finishedAt?: number;
  readonly targetDaemonRevision?: RevisionCounts;
  readonly sourceDaemonRevisions: readonly RevisionCounts[];
  readonly circuitBreaker?: { readonly failureCount: number; readonly status: string; readonly threshold: number };
  readonly alarms: { readonly status: string; readonly alarmNames: readonly string[]; readonly triggeredAlarmNames: readonly string[] };
  readonly rollback?: { readonly reason: string; readonly startedAt: number; readonly rollbackTargetDaemonRevisionArn: string; readonly rollbackCapacityProviders: readonly string[] };
  readonly deploymentConfiguration: { readonly drainPercent: number; readonly bakeTimeInMinutes: number };
}

export interface DeploymentProgress {
  readonly status: string;
  readonly phase: string;
  readonly towardsRevisionArn: string | null;
  readonly instancesInScope: number;
  readonly instancesOnTarget: number;
  readonly batchSize: number;
  readonly batchesRequested: number;
  readonly batchesDone: number;
  readonly batchesPlanned: number;
  readonly failureCount: number;
  readonly failureThreshold: number;
  readonly bakeEndsAt: number | null;
}

/** One event of a deployment's timeline; the deployment after it when asked for (withState, watch). */
export interface TimelineEvent {
  readonly version: number;
  readonly position: number;
  readonly type: string;
  /** Epoch seconds. */
  readonly occurredAt: number;
  readonly schemaVersion: number;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly data: unknown;
  readonly summary: string;
  readonly daemonDeployment?: DaemonDeployment;
  readonly progress?: DeploymentProgress;
}

/** GET /v1/deployments/{id}/state: the deployment after its first `version` events. */
export interface DeploymentAtVersion {
  readonly deploymentId: string;
  readonly version: number;
  readonly event: TimelineEvent;
  readonly daemonDeployment: DaemonDeployment;
  readonly progress: DeploymentProgress;
}
