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

export type ClusterEvent = ClusterCreated;
