import type { ClusterCreated, ClusterDeleted, ClusterEvent, EpochMillis, Scope, Tag } from '@daemonfleet/contracts';
import { Arns } from '../shared/arns.js';
import { assertNever, type Decider } from '../shared/decider.js';
import { ClusterNotFound } from '../shared/domain-errors.js';
import { ClusterContainsCapacityProvider, ClusterContainsContainerInstances, ClusterContainsServices } from './cluster.errors.js';

interface ClusterRecordState {
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly tags: readonly Tag[];
  readonly createdAt: EpochMillis;
}

export type ClusterState =
  | { readonly status: 'NONE' }
  | ({ readonly status: 'ACTIVE' } & ClusterRecordState)
  /** Deleted: described as INACTIVE, as ECS does; the name can be created again. */
  | ({ readonly status: 'INACTIVE'; readonly deletedAt: EpochMillis } & ClusterRecordState);

export type CreateCluster = {
  readonly type: 'CreateCluster';
  readonly data: { readonly scope: Scope; readonly clusterName: string; readonly tags: readonly Tag[]; readonly now: EpochMillis };
};

/** What the cluster still holds, looked up by the caller: DeleteCluster refuses while any of it is there. */
export interface ClusterContents {
  readonly services: number;
  readonly containerInstances: number;
  readonly capacityProviders: number;
}

export type DeleteCluster = {
  readonly type: 'DeleteCluster';
  readonly data: { readonly clusterName: string; readonly contents: ClusterContents; readonly now: EpochMillis };
};

export type ClusterCommand = CreateCluster | DeleteCluster;

/** ECS CreateCluster is idempotent: creating a cluster that exists answers with it and changes nothing. */
const createCluster = ({ data }: CreateCluster, state: ClusterState): ClusterCreated[] => {
  if (state.status === 'ACTIVE') return [];
  return [
    {
      type: 'ClusterCreated',
      data: { clusterArn: Arns.cluster(data.scope, data.clusterName), clusterName: data.clusterName, tags: data.tags, createdAt: data.now },
    },
  ];
};

/**
 * DeleteCluster, in ECS's order of refusals: services, then container instances, then capacity providers. Tasks and
 * daemons live on a capacity provider's instances, so a cluster with no provider has none of them either.
 */
const deleteCluster = ({ data }: DeleteCluster, state: ClusterState): ClusterDeleted[] => {
  if (state.status !== 'ACTIVE') throw new ClusterNotFound(data.clusterName);
  if (data.contents.services > 0) throw new ClusterContainsServices(data.clusterName);
  if (data.contents.containerInstances > 0) throw new ClusterContainsContainerInstances(data.clusterName);
  if (data.contents.capacityProviders > 0) throw new ClusterContainsCapacityProvider(data.clusterName);
  return [{ type: 'ClusterDeleted', data: { clusterArn: state.clusterArn, deletedAt: data.now } }];
};

export const clusterDecider: Decider<ClusterState, ClusterCommand, ClusterEvent> = {
  initialState: () => ({ status: 'NONE' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'ClusterCreated':
        return { status: 'ACTIVE', ...event.data };
      case 'ClusterDeleted':
        return state.status === 'ACTIVE' ? { ...state, status: 'INACTIVE', deletedAt: event.data.deletedAt } : state;
      default:
        return assertNever(event);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateCluster':
        return createCluster(command, state);
      case 'DeleteCluster':
        return deleteCluster(command, state);
      default:
        return assertNever(command);
    }
  },
};
