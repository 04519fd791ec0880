import type { CapacityProviderEvent, ClusterEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, it } from 'vitest';
import { clusterDecider } from '../cluster/cluster.decider.js';
import { CapacityProviderAlreadyExists, ClusterNotFound } from '../shared/domain-errors.js';
import { capacityProviderDecider, type CreateCapacityProvider } from './capacity-provider.decider.js';

describe('cluster', () => {
  const given = DeciderSpecification.for(clusterDecider);
  const create = { type: 'CreateCluster', data: { scope, clusterName: 'prod', tags: [], now } } as const;
  const created: ClusterEvent = { type: 'ClusterCreated', data: { clusterArn: `${prefix}:cluster/prod`, clusterName: 'prod', tags: [], createdAt: now } };

  it('is created once', () => given([]).when(create).then([created]));
  it('answers a second CreateCluster with the existing cluster, as ECS does', () => given([created]).when(create).thenNothingHappened());
});

describe('capacity provider', () => {
  const given = DeciderSpecification.for(capacityProviderDecider);

  it('creates a Managed Instances provider bound to its cluster', () =>
    given([]).when(createProvider()).then([created]));

  it('refuses a name that is taken', () => given([created]).when(createProvider()).thenThrows(CapacityProviderAlreadyExists));

  it('refuses a Managed Instances provider for a cluster that does not exist', () =>
    given([]).when(createProvider({ clusterExists: false })).thenThrows(ClusterNotFound));

  it('creates an Auto Scaling group provider with no cluster', () =>
    given([])
      .when(createProvider({ provider: { type: 'EC2_AUTOSCALING', settings: { autoScalingGroupArn: 'asg' } }, clusterExists: false }))
      .then([{ ...created, data: { ...created.data, type: 'EC2_AUTOSCALING', clusterName: null, managedInstancesProvider: null, autoScalingGroupProvider: { autoScalingGroupArn: 'asg' } } }]));

  const settings = { infrastructureRoleArn: 'arn:aws:iam::123456789012:role/infra' };
  const created: Extract<CapacityProviderEvent, { type: 'CapacityProviderCreated' }> = {
    type: 'CapacityProviderCreated',
    data: {
      capacityProviderArn: `${prefix}:capacity-provider/mi`,
      name: 'mi',
      type: 'MANAGED_INSTANCES',
      clusterName: 'prod',
      managedInstancesProvider: settings,
      autoScalingGroupProvider: null,
      tags: [],
      createdAt: now,
    },
  };
  function createProvider(overrides: Partial<CreateCapacityProvider['data']> = {}): CreateCapacityProvider {
    return {
      type: 'CreateCapacityProvider',
      data: { scope, name: 'mi', provider: { type: 'MANAGED_INSTANCES', settings, clusterName: 'prod' }, clusterExists: true, tags: [], now, ...overrides },
    };
  }
});

const scope = { accountId: '123456789012', region: 'us-east-1' };
const prefix = 'arn:aws:ecs:us-east-1:123456789012';
const now = 1_742_040_000_000;
