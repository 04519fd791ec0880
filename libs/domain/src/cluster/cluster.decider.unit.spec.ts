import type { ClusterEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { ClusterNotFound } from '../shared/domain-errors.js';
import { clusterDecider, type ClusterContents, type DeleteCluster } from './cluster.decider.js';
import { ClusterContainsCapacityProvider, ClusterContainsContainerInstances, ClusterContainsServices } from './cluster.errors.js';

const given = DeciderSpecification.for(clusterDecider);

describe('CreateCluster', () => {
  it('creates the cluster, ACTIVE', () => given([]).when(createCluster).then([created]));
  it('answers with the cluster that exists, changing nothing', () => given([created]).when(createCluster).thenNothingHappened());
  it('creates a deleted cluster’s name again', () => given([created, deleted]).when(createCluster).then([created]));
});

describe('DeleteCluster', () => {
  it('makes an empty cluster INACTIVE', () => {
    given([created]).when(deleteCluster()).then([deleted]);
    expect(fold(clusterDecider, [created, deleted])).toEqual({ status: 'INACTIVE', ...created.data, deletedAt: T1 });
  });

  it('refuses an unknown or already deleted cluster', () => {
    given([]).when(deleteCluster()).thenThrows(ClusterNotFound);
    given([created, deleted]).when(deleteCluster()).thenThrows(ClusterNotFound);
  });

  it('refuses a cluster with services first, then instances, then capacity providers, as ECS does', () => {
    given([created]).when(deleteCluster({ services: 1, containerInstances: 3, capacityProviders: 1 })).thenThrows(ClusterContainsServices);
    given([created]).when(deleteCluster({ containerInstances: 3, capacityProviders: 1 })).thenThrows(ClusterContainsContainerInstances);
    given([created]).when(deleteCluster({ capacityProviders: 1 })).thenThrows(ClusterContainsCapacityProvider);
  });
});

// Fixtures last.
const T0 = 1_742_040_000_000;
const T1 = 1_742_040_060_000;
const scope = { accountId: '123456789012', region: 'us-east-1' };
const createCluster = { type: 'CreateCluster', data: { scope, clusterName: 'prod', tags: [], now: T0 } } as const;
const created: ClusterEvent = {
  type: 'ClusterCreated',
  data: { clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', clusterName: 'prod', tags: [], createdAt: T0 },
};
const deleted: ClusterEvent = { type: 'ClusterDeleted', data: { clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', deletedAt: T1 } };
function deleteCluster(contents: Partial<ClusterContents> = {}): DeleteCluster {
  return { type: 'DeleteCluster', data: { clusterName: 'prod', contents: { services: 0, containerInstances: 0, capacityProviders: 0, ...contents }, now: T1 } };
}
