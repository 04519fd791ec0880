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
    /** The fleet as the deployment found it: the target revision and every source revision. */
    readonly revisionCounts: readonly RevisionInstanceCounts[];
  }
>;

export type DeploymentSucceeded = Event<'DeploymentSucceeded', { readonly finishedAt: EpochMillis }>;

export type DeploymentEvent = DeploymentCreated | DeploymentStarted | DeploymentSucceeded;
