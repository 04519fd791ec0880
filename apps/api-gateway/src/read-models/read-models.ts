import { Injectable } from '@nestjs/common';
import {
  StreamCategory,
  type CapacityProviderEvent,
  type ClusterEvent,
  type DaemonEvent,
  type DaemonTaskDefinitionEvent,
  type DeploymentEvent,
} from '@daemonfleet/contracts';
import {
  capacityProviderDecider,
  clusterDecider,
  daemonDecider,
  daemonTaskDefinitionDecider,
  evolveDeployment,
  initialDeploymentState,
  type CapacityProviderState,
  type ClusterState,
  type DaemonState,
  type DaemonTaskDefinitionFamilyState,
  type DeploymentState,
} from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { StreamProjection } from './stream-projection.js';

/** Everything the gateway answers queries from, rebuilt from the event store when the gateway starts. */
@Injectable()
export class ReadModels {
  readonly clusters = new StreamProjection<ClusterState, ClusterEvent>(StreamCategory.cluster, clusterDecider.initialState, clusterDecider.evolve);
  readonly capacityProviders = new StreamProjection<CapacityProviderState, CapacityProviderEvent>(
    StreamCategory.capacityProvider,
    capacityProviderDecider.initialState,
    capacityProviderDecider.evolve,
  );
  readonly taskDefinitionFamilies = new StreamProjection<DaemonTaskDefinitionFamilyState, DaemonTaskDefinitionEvent>(
    StreamCategory.daemonTaskDefinition,
    daemonTaskDefinitionDecider.initialState,
    daemonTaskDefinitionDecider.evolve,
  );
  readonly daemons = new StreamProjection<DaemonState, DaemonEvent>(StreamCategory.daemon, daemonDecider.initialState, daemonDecider.evolve);
  readonly deployments = new StreamProjection<DeploymentState, DeploymentEvent>(StreamCategory.daemonDeployment, initialDeploymentState, evolveDeployment);

  private readonly projections = [this.clusters, this.capacityProviders, this.taskDefinitionFamilies, this.daemons, this.deployments];

  apply(event: RecordedEvent): void {
    for (const projection of this.projections) if (projection.apply(event)) return;
  }
}
