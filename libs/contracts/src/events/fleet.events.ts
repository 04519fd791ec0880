import type { EpochMillis, Event } from './event.js';

/**
 * Events of the simulated fleet. They are appended to the stream of the capacity provider the instance belongs to
 * (docs/rollout.md): every change to one provider's fleet is serialised there. Every event names its instance.
 */

/** A daemon task an instance is to run, decided when the instance is provisioned (spec 3.9). */
export interface PlannedDaemonTask {
  readonly daemonArn: string;
  readonly daemonRevisionArn: string;
  readonly daemonTaskDefinitionArn: string;
  readonly critical: boolean;
}

export type InstanceLaunchReason = 'SERVICE_SCALE_OUT' | 'REPLACEMENT' | 'EMULATOR_REQUEST';

export type InstanceProvisioningStarted = Event<
  'InstanceProvisioningStarted',
  {
    readonly instanceId: string;
    readonly containerInstanceArn: string;
    readonly capacityProviderArn: string;
    readonly clusterArn: string;
    readonly reason: InstanceLaunchReason;
    /** For a replacement: the drained instance it replaces, and the deployment that drains it. */
    readonly replacesInstanceId: string | null;
    readonly deploymentId: string | null;
    /** The daemon tasks it launches first once registered, in this order. */
    readonly daemons: readonly PlannedDaemonTask[];
    readonly startedAt: EpochMillis;
    /** When provisioning is done (simulated time, scaled). */
    readonly registersAt: EpochMillis;
  }
>;

/** The instance's agent registered: its daemon tasks launch now. */
export type InstanceRegistered = Event<'InstanceRegistered', { readonly instanceId: string; readonly registeredAt: EpochMillis }>;

export type DaemonTaskLaunched = Event<
  'DaemonTaskLaunched',
  {
    readonly instanceId: string;
    readonly taskArn: string;
    readonly daemon: PlannedDaemonTask;
    readonly launchedAt: EpochMillis;
    /** When the task reaches RUNNING (simulated time, scaled). */
    readonly runsAt: EpochMillis;
  }
>;

export type DaemonTaskStarted = Event<
  'DaemonTaskStarted',
  { readonly instanceId: string; readonly taskArn: string; readonly daemonArn: string; readonly startedAt: EpochMillis }
>;

/** A deployment's target matched the task already running (decision 12): the task now counts for the target revision. */
export type DaemonTaskAdopted = Event<
  'DaemonTaskAdopted',
  {
    readonly instanceId: string;
    readonly taskArn: string;
    readonly daemonArn: string;
    readonly fromRevisionArn: string;
    readonly toRevisionArn: string;
    readonly deploymentId: string;
    /**
     * The deployment's stream version the adoption command carried (its fencing token), as on InstanceDrainStarted.
     * Absent on adoptions stored before the fleet recorded the fence of every command it accepts.
     */
    readonly fence?: number;
    readonly adoptedAt: EpochMillis;
  }
>;

/**
 * A daemon task did not start (spec 3.8, DAEMON_TASK_START_IMPAIRED). It is retried on the same instance with
 * backoff: the next DaemonTaskLaunched for this daemon on this instance comes at `retryAt`, with a new task ARN.
 * Every failed attempt on a deployment's target revision counts toward its circuit breaker (decision 1).
 */
export type DaemonTaskFailedToStart = Event<
  'DaemonTaskFailedToStart',
  {
    readonly instanceId: string;
    readonly taskArn: string;
    readonly daemon: PlannedDaemonTask;
    readonly failureType: 'TASK_FAILED_TO_RUN' | 'TASK_CREATION_FAILED';
    readonly reason: string;
    /** 1 for the first attempt on this instance. */
    readonly attempt: number;
    readonly failedAt: EpochMillis;
    readonly retryAt: EpochMillis;
  }
>;

/** The instance could not be provisioned (not the daemon's fault: no breaker count); it is retried at `retryAt`. */
export type InstanceProvisioningFailed = Event<
  'InstanceProvisioningFailed',
  { readonly instanceId: string; readonly reason: string; readonly attempt: number; readonly failedAt: EpochMillis; readonly retryAt: EpochMillis }
>;

/**
 * Every daemon task runs (spec 3.9: daemons start before application tasks); a non-critical daemon that failed
 * to start does not hold the instance back. The instance takes application tasks.
 */
export type InstanceActivated = Event<'InstanceActivated', { readonly instanceId: string; readonly activatedAt: EpochMillis }>;

/** Where an application task runs: its instance and its ARN. */
export interface AppTaskRef {
  readonly instanceId: string;
  readonly taskArn: string;
}

/** An application task is placed on the instance: PROVISIONING while it registers, PENDING once it is ACTIVE. */
export type AppTaskPlaced = Event<
  'AppTaskPlaced',
  {
    readonly instanceId: string;
    readonly taskArn: string;
    readonly serviceArn: string;
    readonly taskDefinitionArn: string;
    readonly placedAt: EpochMillis;
    /**
     * Set when the task takes over from a task of a draining instance (docs/rollout.md): that task stops once this
     * one runs, and until then the two count once for their service.
     */
    readonly replacesTask?: AppTaskRef;
  }
>;

/** The task's instance is ACTIVE: the task starts, and runs at `runsAt`. */
export type AppTaskStarting = Event<
  'AppTaskStarting',
  { readonly instanceId: string; readonly taskArn: string; readonly startingAt: EpochMillis; readonly runsAt: EpochMillis }
>;

export type AppTaskStarted = Event<'AppTaskStarted', { readonly instanceId: string; readonly taskArn: string; readonly startedAt: EpochMillis }>;

export type AppTaskStopReason = 'INSTANCE_DRAINED' | 'SERVICE_SCALED_IN' | 'SERVICE_DELETED';

export type AppTaskStopped = Event<
  'AppTaskStopped',
  {
    readonly instanceId: string;
    readonly taskArn: string;
    readonly serviceArn: string;
    readonly reason: AppTaskStopReason;
    readonly stoppedAt: EpochMillis;
  }
>;

/** A deployment drains the instance; its replacement in the same provider is provisioned by the same append. */
export type InstanceDrainStarted = Event<
  'InstanceDrainStarted',
  {
    readonly instanceId: string;
    readonly deploymentId: string;
    /** The deployment's stream version the drain command carried (its fencing token). */
    readonly fence: number;
    readonly replacementInstanceId: string;
    readonly startedAt: EpochMillis;
  }
>;

/** Drained and empty: the instance is gone, and its daemon tasks with it. */
export type InstanceDeregistered = Event<'InstanceDeregistered', { readonly instanceId: string; readonly deregisteredAt: EpochMillis }>;

export type FleetEvent =
  | InstanceProvisioningStarted
  | InstanceRegistered
  | DaemonTaskLaunched
  | DaemonTaskStarted
  | DaemonTaskAdopted
  | DaemonTaskFailedToStart
  | InstanceProvisioningFailed
  | InstanceActivated
  | AppTaskPlaced
  | AppTaskStarting
  | AppTaskStarted
  | AppTaskStopped
  | InstanceDrainStarted
  | InstanceDeregistered;
