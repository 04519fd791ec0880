import { Injectable } from '@nestjs/common';
import {
  StreamCategory,
  type CapacityProviderEvent,
  type ClusterEvent,
  type DaemonEvent,
  type DaemonTaskDefinitionEvent,
  type DeploymentEvent,
  type FaultRuleEvent,
  type ServiceEvent,
  type TaskDefinitionEvent,
} from '@daemonfleet/contracts';
import {
  capacityProviderDecider,
  clusterDecider,
  daemonDecider,
  daemonTaskDefinitionDecider,
  evolveDeployment,
  evolveService,
  faultRuleDecider,
  initialDeploymentState,
  initialServiceState,
  taskDefinitionDecider,
  type CapacityProviderState,
  type ClusterState,
  type DaemonState,
  type DaemonTaskDefinitionFamilyState,
  type DeploymentState,
  type FaultRuleState,
  type ServiceState,
  type TaskDefinitionFamilyState,
} from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { AlarmReadModel } from '../alarms/alarm.read-model.js';
import { StreamProjection } from './stream-projection.js';
import { TaskLocator } from './task-locator.js';

/** Everything the gateway answers queries from, rebuilt from the event store when the gateway starts. */
@Injectable()
export class ReadModels {
  readonly clusters = new StreamProjection<ClusterState, ClusterEvent>(StreamCategory.cluster, clusterDecider.initialState, clusterDecider.evolve);
  /** Each provider with its fleet, folded in place (FleetState): no copy of the instances per event. */
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
  readonly services = new StreamProjection<ServiceState, ServiceEvent>(StreamCategory.service, initialServiceState, evolveService);
  /** Application task definitions (not daemons'). */
  readonly applicationTaskDefinitions = new StreamProjection<TaskDefinitionFamilyState, TaskDefinitionEvent>(
    StreamCategory.taskDefinition,
    taskDefinitionDecider.initialState,
    taskDefinitionDecider.evolve,
  );
  /** Emulator control: the fault rules (apps/api-gateway/src/faults). */
  readonly faultRules = new StreamProjection<FaultRuleState, FaultRuleEvent>(StreamCategory.faultRule, faultRuleDecider.initialState, faultRuleDecider.evolve);
  /** The alarm monitor's alarms and their history (apps/api-gateway/src/alarms). */
  readonly alarms = new AlarmReadModel();
  readonly taskLocator = new TaskLocator();

  private readonly projections = [
    this.clusters,
    this.capacityProviders,
    this.taskDefinitionFamilies,
    this.daemons,
    this.deployments,
    this.services,
    this.applicationTaskDefinitions,
    this.alarms,
    this.faultRules,
  ];

  apply(event: RecordedEvent): void {
    // Only provider streams have a provider state; the locator reads it before the event changes it.
    const provider = this.capacityProviders.get(event.streamId);
    if (provider?.status === 'ACTIVE') this.taskLocator.apply(event.streamId, { type: event.type, data: event.data } as CapacityProviderEvent, provider.fleet);
    for (const projection of this.projections) if (projection.apply(event)) return;
  }
}
