import type { DaemonCreated, DaemonDeletionRequested, DaemonEvent, DaemonRemoved, DaemonRevisionRestored, EpochMillis, Scope, Tag } from '@daemonfleet/contracts';
import { Arns } from '../shared/arns.js';
import { assertNever, type Decider } from '../shared/decider.js';
import { ClientTokenReused, ClusterNotFound, DaemonNameInUse, DaemonNotActive, DaemonNotFound } from '../shared/domain-errors.js';
import { revisionCreated, type RevisionRequest } from './daemon-settings.js';
import { evolveDaemon, initialDaemonState, isLiveDaemon, latestDeployment, type DaemonState, type LiveDaemon } from './daemon.state.js';

export type CreateDaemon = {
  readonly type: 'CreateDaemon';
  readonly data: RevisionRequest & {
    /** Looked up by the caller. */
    readonly clusterExists: boolean;
    readonly tags: readonly Tag[];
    readonly clientToken: string | null;
    /** Digest of the request's parameters: a retry with the same token must carry the same one. */
    readonly requestFingerprint: string;
  };
};

/** Full replacement of the settings (spec 2.6): a new revision and the deployment that rolls it out. */
export type UpdateDaemon = { readonly type: 'UpdateDaemon'; readonly data: RevisionRequest };

/** DeleteDaemon (spec 2.7, decision 7): DELETE_IN_PROGRESS, and a deployment that drains the daemon away. */
export type DeleteDaemon = {
  readonly type: 'DeleteDaemon';
  readonly data: { readonly scope: Scope; readonly clusterName: string; readonly daemonName: string; readonly deploymentId: string; readonly now: EpochMillis };
};

/** A reaction to the delete deployment's success: the daemon is gone. Does nothing unless that deployment is the deletion. */
export type RemoveDaemon = { readonly type: 'RemoveDaemon'; readonly data: { readonly deploymentId: string; readonly now: EpochMillis } };

/**
 * A reaction to a deployment's rollback (spec 3.7): new instances launch `revisionArn` again (spec 3.9). Does
 * nothing unless that deployment is the daemon's latest (a newer revision wins over an older rollback) and the
 * revision is one of the daemon's, or when it is already restored.
 */
export type RestoreRevision = {
  readonly type: 'RestoreRevision';
  readonly data: { readonly deploymentId: string; readonly revisionArn: string; readonly now: EpochMillis };
};

export type DaemonCommand = CreateDaemon | UpdateDaemon | DeleteDaemon | RemoveDaemon | RestoreRevision;

const createDaemon = ({ data }: CreateDaemon, state: DaemonState): DaemonEvent[] => {
  if (!data.clusterExists) throw new ClusterNotFound(data.clusterName);
  if (isLiveDaemon(state)) {
    // Idempotency (decision 9): the same token with the same parameters is a retry, answered from the state.
    if (data.clientToken !== null && state.clientToken === data.clientToken) {
      if (state.requestFingerprint === data.requestFingerprint) return [];
      throw new ClientTokenReused();
    }
    // ACTIVE or DELETE_IN_PROGRESS: the name stays taken until the deletion finishes (decision 9).
    throw new DaemonNameInUse(data.daemonName, data.clusterName);
  }
  const revision = revisionCreated(data);
  const created: DaemonCreated = {
    type: 'DaemonCreated',
    data: {
      daemonArn: revision.data.daemonArn,
      daemonName: data.daemonName,
      clusterArn: Arns.cluster(data.scope, data.clusterName),
      tags: data.tags,
      clientToken: data.clientToken,
      requestFingerprint: data.requestFingerprint,
      createdAt: data.now,
    },
  };
  return [created, revision];
};

/** Unknown or removed: DaemonNotFound; being deleted: DaemonNotActive (decisions 8 and 10). */
function activeDaemon(state: DaemonState, data: { scope: Scope; clusterName: string; daemonName: string }): LiveDaemon {
  const daemonArn = Arns.daemon(data.scope, data.clusterName, data.daemonName);
  if (!isLiveDaemon(state)) throw new DaemonNotFound(daemonArn);
  if (state.status !== 'ACTIVE') throw new DaemonNotActive(daemonArn, state.status);
  return state;
}

const updateDaemon = ({ data }: UpdateDaemon, state: DaemonState): DaemonEvent[] => {
  activeDaemon(state, data);
  return [revisionCreated(data)];
};

const deleteDaemon = ({ data }: DeleteDaemon, state: DaemonState): DaemonDeletionRequested[] => {
  const daemon = activeDaemon(state, data);
  const deploymentArn = Arns.daemonDeployment(data.scope, data.clusterName, data.daemonName, data.deploymentId);
  return [{ type: 'DaemonDeletionRequested', data: { daemonArn: daemon.daemonArn, deploymentId: data.deploymentId, deploymentArn, requestedAt: data.now } }];
};

const removeDaemon = ({ data }: RemoveDaemon, state: DaemonState): DaemonRemoved[] => {
  if (state.status !== 'DELETE_IN_PROGRESS' || latestDeployment(state)?.deploymentId !== data.deploymentId) return [];
  return [{ type: 'DaemonRemoved', data: { daemonArn: state.daemonArn, removedAt: data.now } }];
};

const restoreRevision = ({ data }: RestoreRevision, state: DaemonState): DaemonRevisionRestored[] => {
  if (state.status !== 'ACTIVE' || latestDeployment(state)?.deploymentId !== data.deploymentId) return [];
  if (!state.revisions.some((r) => r.daemonRevisionArn === data.revisionArn)) return [];
  if (state.restored?.deploymentId === data.deploymentId && state.restored.revisionArn === data.revisionArn) return [];
  return [{ type: 'DaemonRevisionRestored', data: { daemonArn: state.daemonArn, revisionArn: data.revisionArn, deploymentId: data.deploymentId, restoredAt: data.now } }];
};

export const daemonDecider: Decider<DaemonState, DaemonCommand, DaemonEvent> = {
  initialState: initialDaemonState,
  evolve: evolveDaemon,
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateDaemon':
        return createDaemon(command, state);
      case 'UpdateDaemon':
        return updateDaemon(command, state);
      case 'DeleteDaemon':
        return deleteDaemon(command, state);
      case 'RemoveDaemon':
        return removeDaemon(command, state);
      case 'RestoreRevision':
        return restoreRevision(command, state);
      default:
        return assertNever(command);
    }
  },
};
