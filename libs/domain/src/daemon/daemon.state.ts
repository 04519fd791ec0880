import type { DaemonDeploymentConfigurationSpec, DaemonEvent, DaemonRevisionSpec, EpochMillis, Tag } from '@daemonfleet/contracts';
import { assertNever } from '../shared/decider.js';

/** The statuses ECS reports (spec 1.6). */
export type DaemonStatus = 'ACTIVE' | 'DELETE_IN_PROGRESS';

export interface DaemonDeploymentEntry {
  readonly deploymentId: string;
  readonly deploymentArn: string;
  /** The revision it rolls out; null for the deployment of a DeleteDaemon (decision 7). */
  readonly targetRevisionArn: string | null;
  readonly deploymentConfiguration: DaemonDeploymentConfigurationSpec;
  readonly createdAt: EpochMillis;
}

interface DaemonRecord {
  readonly daemonArn: string;
  readonly daemonName: string;
  readonly clusterArn: string;
  readonly tags: readonly Tag[];
  readonly clientToken: string | null;
  readonly requestFingerprint: string;
  readonly createdAt: EpochMillis;
  readonly updatedAt: EpochMillis;
  /** Every revision of this daemon, oldest first; the last one is the daemon's configuration now. */
  readonly revisions: readonly DaemonRevisionSpec[];
  /** Every deployment under this ARN, oldest first (those of an earlier, removed daemon of the same name included). */
  readonly deployments: readonly DaemonDeploymentEntry[];
  /**
   * Set once a rollback restored an earlier revision (DaemonRevisionRestored): it is the daemon's current revision,
   * the one new instances launch (spec 3.9), until a newer revision is created.
   */
  readonly restored: { readonly revisionArn: string; readonly deploymentId: string } | null;
}

export type LiveDaemon = DaemonRecord & { readonly status: DaemonStatus };
/** The delete deployment succeeded: the daemon is gone (DaemonNotFound), its history stays; its name is free again. */
export type RemovedDaemon = DaemonRecord & { readonly status: 'REMOVED'; readonly removedAt: EpochMillis };

export type DaemonState = { readonly status: 'NONE' } | LiveDaemon | RemovedDaemon;

export const initialDaemonState = (): DaemonState => ({ status: 'NONE' });

export function isLiveDaemon(state: DaemonState): state is LiveDaemon {
  return state.status === 'ACTIVE' || state.status === 'DELETE_IN_PROGRESS';
}

export function evolveDaemon(state: DaemonState, event: DaemonEvent): DaemonState {
  switch (event.type) {
    case 'DaemonCreated':
      // A name used again after its daemon was removed starts a new daemon under the same ARN.
      return {
        status: 'ACTIVE',
        ...event.data,
        updatedAt: event.data.createdAt,
        revisions: [],
        deployments: state.status === 'REMOVED' ? state.deployments : [],
        restored: null,
      };
    case 'DaemonRevisionCreated': {
      if (!isLiveDaemon(state)) return state;
      const { deploymentId, deploymentArn, deploymentConfiguration, createdAt, revision } = event.data;
      return {
        ...state,
        updatedAt: createdAt,
        revisions: [...state.revisions, revision],
        deployments: [...state.deployments, { deploymentId, deploymentArn, targetRevisionArn: revision.daemonRevisionArn, deploymentConfiguration, createdAt }],
        restored: null,
      };
    }
    case 'DaemonRevisionRestored': {
      if (!isLiveDaemon(state) || !state.revisions.some((r) => r.daemonRevisionArn === event.data.revisionArn)) return state;
      return { ...state, restored: { revisionArn: event.data.revisionArn, deploymentId: event.data.deploymentId } };
    }
    case 'DaemonDeletionRequested': {
      if (state.status !== 'ACTIVE') return state;
      const { deploymentId, deploymentArn, requestedAt } = event.data;
      // The delete deployment drains by the daemon's current deployment configuration. A live daemon always has a
      // deployment: DaemonCreated and its first DaemonRevisionCreated are one append.
      const { deploymentConfiguration } = state.deployments.at(-1)!;
      return {
        ...state,
        status: 'DELETE_IN_PROGRESS',
        updatedAt: requestedAt,
        deployments: [...state.deployments, { deploymentId, deploymentArn, targetRevisionArn: null, deploymentConfiguration, createdAt: requestedAt }],
      };
    }
    case 'DaemonRemoved':
      return state.status === 'DELETE_IN_PROGRESS' ? { ...state, status: 'REMOVED', removedAt: event.data.removedAt } : state;
    default:
      return assertNever(event);
  }
}

export function latestRevision(state: DaemonState): DaemonRevisionSpec | undefined {
  return state.status === 'NONE' ? undefined : state.revisions.at(-1);
}

/** The daemon's configuration now: the revision a rollback restored, or else the latest (spec 3.9). */
export function currentRevision(state: DaemonState): DaemonRevisionSpec | undefined {
  if (state.status === 'NONE') return undefined;
  const restored = state.restored;
  return (restored && state.revisions.find((r) => r.daemonRevisionArn === restored.revisionArn)) || state.revisions.at(-1);
}

export function latestDeployment(state: DaemonState): DaemonDeploymentEntry | undefined {
  return state.status === 'NONE' ? undefined : state.deployments.at(-1);
}
