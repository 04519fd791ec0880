import type { EpochMillis, Event, Tag } from './event.js';

export type ClusterCreated = Event<
  'ClusterCreated',
  {
    readonly clusterArn: string;
    readonly clusterName: string;
    readonly tags: readonly Tag[];
    readonly createdAt: EpochMillis;
  }
>;

/** DeleteCluster: the cluster is INACTIVE; it had no services and no capacity providers (so no instances, tasks or daemons). */
export type ClusterDeleted = Event<
  'ClusterDeleted',
  {
    readonly clusterArn: string;
    readonly deletedAt: EpochMillis;
  }
>;

export type ClusterEvent = ClusterCreated | ClusterDeleted;
