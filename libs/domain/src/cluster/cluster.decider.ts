import type { ClusterCreated, ClusterEvent, EpochMillis, Scope, Tag } from '@daemonfleet/contracts';
import { Arns } from '../shared/arns.js';
import { assertNever, type Decider } from '../shared/decider.js';

export type ClusterState =
  | { readonly status: 'NONE' }
  | {
      readonly status: 'ACTIVE';
      readonly clusterArn: string;
      readonly clusterName: string;
      readonly tags: readonly Tag[];
      readonly createdAt: EpochMillis;
    };

export type CreateCluster = {
  readonly type: 'CreateCluster';
  readonly data: { readonly scope: Scope; readonly clusterName: string; readonly tags: readonly Tag[]; readonly now: EpochMillis };
};
export type ClusterCommand = CreateCluster;

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

export const clusterDecider: Decider<ClusterState, ClusterCommand, ClusterEvent> = {
  initialState: () => ({ status: 'NONE' }),
  evolve: (_state, event) => {
    switch (event.type) {
      case 'ClusterCreated':
        return { status: 'ACTIVE', ...event.data };
      default:
        return assertNever(event.type);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateCluster':
        return createCluster(command, state);
      default:
        return assertNever(command.type);
    }
  },
};
