import type { Tag } from '@daemonfleet/contracts';
import type { InstanceView } from '../../read-models/instance.queries.js';

/** What the cluster holds now, as ECS counts it on the cluster. */
export interface ClusterCounts {
  readonly registeredContainerInstancesCount: number;
  readonly runningTasksCount: number;
  readonly pendingTasksCount: number;
  readonly activeServicesCount: number;
}

export const NO_CLUSTER_COUNTS: ClusterCounts = { registeredContainerInstancesCount: 0, runningTasksCount: 0, pendingTasksCount: 0, activeServicesCount: 0 };

/** ECS's `Cluster`: DescribeClusters' shape, with its counts; a deleted cluster is INACTIVE and holds nothing. */
export function presentEcsCluster(
  cluster: { readonly clusterArn: string; readonly clusterName: string; readonly status: 'ACTIVE' | 'INACTIVE'; readonly tags: readonly Tag[] },
  capacityProviderNames: readonly string[],
  counts: ClusterCounts,
) {
  return {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    status: cluster.status,
    capacityProviders: [...capacityProviderNames],
    defaultCapacityProviderStrategy: [],
    ...counts,
    tags: [...cluster.tags],
  };
}

/** Instances that registered (REGISTERING ones have not yet), and the tasks on them, running or on their way. */
export function clusterCounts(instances: readonly InstanceView[], activeServicesCount: number): ClusterCounts {
  let registeredContainerInstancesCount = 0;
  let runningTasksCount = 0;
  let pendingTasksCount = 0;
  for (const { instance } of instances) {
    if (instance.registeredAt !== null) registeredContainerInstancesCount++;
    for (const task of [...instance.daemonTasks.values(), ...instance.appTasks.values()]) {
      if (task.status === 'RUNNING') runningTasksCount++;
      else pendingTasksCount++;
    }
  }
  return { registeredContainerInstancesCount, runningTasksCount, pendingTasksCount, activeServicesCount };
}
