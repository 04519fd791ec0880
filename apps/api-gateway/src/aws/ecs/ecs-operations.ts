import { Injectable } from '@nestjs/common';
import { CapacityProviderOperations } from './capacity-provider.operations.js';
import { ClusterOperations } from './cluster.operations.js';
import { DaemonDeploymentOperations } from './daemon-deployment.operations.js';
import { DaemonTaskDefinitionOperations } from './daemon-task-definition.operations.js';
import { DaemonOperations } from './daemon.operations.js';
import type { EcsOperation, EcsOperationGroup } from './ecs-operation.js';
import { FleetViewOperations } from './fleet-view.operations.js';
import { ServiceOperations } from './service.operations.js';
import { TaskDefinitionOperations } from './task-definition.operations.js';

/** The X-Amz-Target of the ECS operations is this prefix and the operation's name (spec 5.7). */
export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';

/** Every group of ECS operations, each a Nest provider. */
export const ECS_OPERATION_GROUPS = [
  DaemonTaskDefinitionOperations,
  DaemonOperations,
  DaemonDeploymentOperations,
  ClusterOperations,
  CapacityProviderOperations,
  TaskDefinitionOperations,
  ServiceOperations,
  FleetViewOperations,
] as const;

/** The ECS operations daemonfleet serves, by name. */
@Injectable()
export class EcsOperations {
  private readonly byName: ReadonlyMap<string, EcsOperation>;

  constructor(
    daemonTaskDefinitions: DaemonTaskDefinitionOperations,
    daemons: DaemonOperations,
    daemonDeployments: DaemonDeploymentOperations,
    clusters: ClusterOperations,
    capacityProviders: CapacityProviderOperations,
    taskDefinitions: TaskDefinitionOperations,
    services: ServiceOperations,
    fleetView: FleetViewOperations,
  ) {
    const groups: EcsOperationGroup[] = [daemonTaskDefinitions, daemons, daemonDeployments, clusters, capacityProviders, taskDefinitions, services, fleetView];
    this.byName = new Map(groups.flatMap((group) => Object.entries(group.operations)));
  }

  /** The operation an X-Amz-Target names, if it is one of ours. */
  forTarget(target: string | undefined): EcsOperation | undefined {
    return target?.startsWith(ECS_TARGET_PREFIX) ? this.byName.get(target.slice(ECS_TARGET_PREFIX.length)) : undefined;
  }
}
