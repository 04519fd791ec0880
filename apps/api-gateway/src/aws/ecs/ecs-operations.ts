import { Injectable } from '@nestjs/common';
import type { AwsService } from '../aws-protocol.js';
import { CapacityProviderOperations } from './capacity-provider.operations.js';
import { ClusterOperations } from './cluster.operations.js';
import { DaemonDeploymentOperations } from './daemon-deployment.operations.js';
import { DaemonTaskDefinitionOperations } from './daemon-task-definition.operations.js';
import { DaemonOperations } from './daemon.operations.js';
import type { EcsOperation, EcsOperationGroup } from './ecs-operation.js';
import { ECS_PROTOCOL } from './ecs-protocol.js';
import { FleetViewOperations } from './fleet-view.operations.js';
import { ServiceOperations } from './service.operations.js';
import { TaskDefinitionOperations } from './task-definition.operations.js';

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
export class EcsOperations implements AwsService {
  readonly protocol = ECS_PROTOCOL;
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

  operation(name: string): EcsOperation | undefined {
    return this.byName.get(name);
  }
}
