import type { CapacityProviderRecord } from '@daemonfleet/contracts';
import {
  capacityProviderDecider,
  clusterDecider,
  fold,
  type CapacityProviderCommand,
  type CapacityProviderState,
  type ClusterState,
} from '@daemonfleet/domain';
import { describe, expect, it } from 'vitest';
import { presentCapacityProvider, presentCluster } from './fleet.presenter.js';

describe('presentCluster', () => {
  it('shows the cluster, ACTIVE, with the names of its capacity providers and its tags', () => {
    expect(presentCluster(cluster(), ['mi-a', 'mi-b'])).toEqual({
      clusterArn: `${ARN}:cluster/prod`,
      clusterName: 'prod',
      status: 'ACTIVE',
      capacityProviders: ['mi-a', 'mi-b'],
      tags: [{ key: 'team', value: 'sre' }],
    });
  });
});

describe('presentCapacityProvider', () => {
  it('shows a Managed Instances provider with its cluster and settings, and no Auto Scaling group', () => {
    const presented = presentCapacityProvider(provider(managedInstances));

    expect(presented).toEqual({
      capacityProviderArn: `${ARN}:capacity-provider/prod-mi`,
      name: 'prod-mi',
      status: 'ACTIVE',
      type: 'MANAGED_INSTANCES',
      cluster: 'prod',
      managedInstancesProvider: managedInstances.data.provider.settings,
      tags: [],
    });
    expect(presented).not.toHaveProperty('autoScalingGroupProvider');
  });

  it('shows an Auto Scaling group provider without a cluster', () => {
    const presented = presentCapacityProvider(provider(autoScalingGroup));

    expect(presented).toEqual({
      capacityProviderArn: `${ARN}:capacity-provider/prod-asg`,
      name: 'prod-asg',
      status: 'ACTIVE',
      type: 'EC2_AUTOSCALING',
      autoScalingGroupProvider: autoScalingGroup.data.provider.settings,
      tags: [],
    });
    for (const key of ['cluster', 'managedInstancesProvider']) expect(presented).not.toHaveProperty(key);
  });

  it('shows a provider record from the fleet agent, which carries no settings or tags', () => {
    const record: CapacityProviderRecord = { capacityProviderArn: `${ARN}:capacity-provider/prod-mi`, name: 'prod-mi', type: 'MANAGED_INSTANCES', clusterName: 'prod', status: 'ACTIVE' };
    expect(presentCapacityProvider(record)).toEqual({
      capacityProviderArn: record.capacityProviderArn,
      name: 'prod-mi',
      status: 'ACTIVE',
      type: 'MANAGED_INSTANCES',
      cluster: 'prod',
      tags: [],
    });
  });
});

// Fixtures last.

const scope = { accountId: '123456789012', region: 'us-east-1' };
const ARN = 'arn:aws:ecs:us-east-1:123456789012';
const now = 1_742_040_000_000;

function cluster(): Extract<ClusterState, { status: 'ACTIVE' }> {
  const command = { type: 'CreateCluster', data: { scope, clusterName: 'prod', tags: [{ key: 'team', value: 'sre' }], now } } as const;
  const state = fold(clusterDecider, clusterDecider.decide(command, clusterDecider.initialState()));
  if (state.status !== 'ACTIVE') throw new Error('no cluster');
  return state;
}

const managedInstances = {
  type: 'CreateCapacityProvider',
  data: {
    scope,
    name: 'prod-mi',
    provider: {
      type: 'MANAGED_INSTANCES',
      clusterName: 'prod',
      settings: {
        infrastructureRoleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRole',
        instanceLaunchTemplate: { ec2InstanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceProfile' },
      },
    },
    clusterExists: true,
    tags: [],
    now,
  },
} as const satisfies CapacityProviderCommand;

const autoScalingGroup = {
  type: 'CreateCapacityProvider',
  data: {
    scope,
    name: 'prod-asg',
    provider: { type: 'EC2_AUTOSCALING', settings: { autoScalingGroupArn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x' } },
    clusterExists: false,
    tags: [],
    now,
  },
} as const satisfies CapacityProviderCommand;

function provider(command: CapacityProviderCommand): Extract<CapacityProviderState, { status: 'ACTIVE' }> {
  const state = fold(capacityProviderDecider, capacityProviderDecider.decide(command, capacityProviderDecider.initialState()));
  if (state.status !== 'ACTIVE') throw new Error('no capacity provider');
  return state;
}
