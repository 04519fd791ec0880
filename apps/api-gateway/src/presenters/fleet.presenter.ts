import type { CapacityProviderRecord, ClusterRecord } from '@daemonfleet/contracts';
import type { CapacityProviderState, ClusterState } from '@daemonfleet/domain';

type ActiveCluster = Extract<ClusterState, { status: 'ACTIVE' }> | ClusterRecord;
type ActiveProvider = Extract<CapacityProviderState, { status: 'ACTIVE' }>;

/** DescribeClusters' shape: the cluster and the names of the capacity providers associated with it. */
export function presentCluster(cluster: ActiveCluster, capacityProviderNames: readonly string[]) {
  return {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    status: 'ACTIVE',
    capacityProviders: [...capacityProviderNames],
    tags: [...cluster.tags],
  };
}

/** DescribeCapacityProviders' shape. */
export function presentCapacityProvider(provider: ActiveProvider | (CapacityProviderRecord & Partial<ActiveProvider>)) {
  return {
    capacityProviderArn: provider.capacityProviderArn,
    name: provider.name,
    status: 'ACTIVE',
    type: provider.type,
    ...(provider.clusterName ? { cluster: provider.clusterName } : {}),
    ...(provider.managedInstancesProvider ? { managedInstancesProvider: provider.managedInstancesProvider } : {}),
    ...(provider.autoScalingGroupProvider ? { autoScalingGroupProvider: provider.autoScalingGroupProvider } : {}),
    tags: [...(provider.tags ?? [])],
  };
}
