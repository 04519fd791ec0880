import type { EpochMillis, Event, Tag } from './event.js';

export type PropagateTags = 'DAEMON' | 'NONE';

export interface DaemonDeploymentConfigurationSpec {
  /** Share of the instances in scope drained per batch, 0.0–100.0 (decision 2; 0 means one instance). */
  readonly drainPercent: number;
  /** Wait after the last batch, alarms still watched (decision 4). */
  readonly bakeTimeInMinutes: number;
  readonly alarms: { readonly alarmNames: readonly string[]; readonly enable: boolean };
}

export interface ContainerImageSpec {
  readonly containerName: string;
  readonly image: string;
  readonly imageDigest: string;
}

/** An immutable snapshot of a daemon's configuration, taken when a deployment starts (spec 1.7). */
export interface DaemonRevisionSpec {
  readonly daemonRevisionArn: string;
  readonly revisionId: string;
  readonly daemonTaskDefinitionArn: string;
  readonly capacityProviderArns: readonly string[];
  readonly propagateTags: PropagateTags;
  readonly enableECSManagedTags: boolean;
  readonly enableExecuteCommand: boolean;
  readonly critical: boolean;
  readonly containerImages: readonly ContainerImageSpec[];
  readonly createdAt: EpochMillis;
}

export type DaemonCreated = Event<
  'DaemonCreated',
  {
    readonly daemonArn: string;
    readonly daemonName: string;
    readonly clusterArn: string;
    readonly tags: readonly Tag[];
    /** The idempotency token of the CreateDaemon call, and a digest of its parameters to recognise a retry. */
    readonly clientToken: string | null;
    readonly requestFingerprint: string;
    readonly createdAt: EpochMillis;
  }
>;

/** A new revision of the daemon, and the deployment that rolls it out. */
export type DaemonRevisionCreated = Event<
  'DaemonRevisionCreated',
  {
    readonly daemonArn: string;
    readonly revision: DaemonRevisionSpec;
    readonly deploymentConfiguration: DaemonDeploymentConfigurationSpec;
    readonly deploymentId: string;
    readonly deploymentArn: string;
    readonly createdAt: EpochMillis;
  }
>;

/** DeleteDaemon: the daemon is DELETE_IN_PROGRESS; the deployment drains it off every instance (decision 7). */
export type DaemonDeletionRequested = Event<
  'DaemonDeletionRequested',
  { readonly daemonArn: string; readonly deploymentId: string; readonly deploymentArn: string; readonly requestedAt: EpochMillis }
>;

/** The delete deployment succeeded: the daemon is gone (spec 1.6). Its name may be used again. */
export type DaemonRemoved = Event<'DaemonRemoved', { readonly daemonArn: string; readonly removedAt: EpochMillis }>;

/**
 * A deployment is rolling back: new instances launch `revisionArn` again (spec 3.9: the current revision), until a
 * newer revision is created.
 */
export type DaemonRevisionRestored = Event<
  'DaemonRevisionRestored',
  { readonly daemonArn: string; readonly revisionArn: string; readonly deploymentId: string; readonly restoredAt: EpochMillis }
>;

export type DaemonEvent = DaemonCreated | DaemonRevisionCreated | DaemonDeletionRequested | DaemonRemoved | DaemonRevisionRestored;
