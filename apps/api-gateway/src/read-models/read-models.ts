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
import { AlarmReadModel, type AlarmEntry } from '../alarms/alarm.read-model.js';
import { StreamProjection, type StreamProjectionContent } from './stream-projection.js';
import { TaskLocator, type TaskLocation } from './task-locator.js';

/**
 * Everything the read models hold, as plain structured-clonable data (Maps, Sets, objects): what a snapshot stores.
 * The folded states are the domain's own, so the data is exactly what folding the events gives.
 */
export interface ReadModelsContent {
  readonly projections: Readonly<Record<string, StreamProjectionContent<unknown>>>;
  readonly alarms: Map<string, AlarmEntry>;
  readonly taskLocator: Map<string, TaskLocation>;
}

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

  /** The stream projections by a name that is stable across releases: the keys of a snapshot. */
  private readonly named: Readonly<Record<string, Pick<StreamProjection<unknown, never>, 'content' | 'restore'>>> = {
    clusters: this.clusters,
    capacityProviders: this.capacityProviders,
    taskDefinitionFamilies: this.taskDefinitionFamilies,
    daemons: this.daemons,
    deployments: this.deployments,
    services: this.services,
    applicationTaskDefinitions: this.applicationTaskDefinitions,
    faultRules: this.faultRules,
  };

  /** Empty read models of the same kind, to rebuild beside these (ReadModelFeed.rebuild) and take their content. */
  emptyCopy(): ReadModels {
    return new (this.constructor as new () => ReadModels)();
  }

  apply(event: RecordedEvent): void {
    // Only provider streams have a provider state; the locator reads it before the event changes it.
    const provider = this.capacityProviders.get(event.streamId);
    if (provider?.status === 'ACTIVE') this.taskLocator.apply(event.streamId, { type: event.type, data: event.data } as CapacityProviderEvent, provider.fleet);
    for (const projection of this.projections) if (projection.apply(event)) return;
  }

  /** What they hold now; it is theirs, not a copy: serialise it before folding any further event. */
  content(): ReadModelsContent {
    return {
      projections: Object.fromEntries(Object.entries(this.named).map(([name, projection]) => [name, projection.content()])),
      alarms: this.alarms.content(),
      taskLocator: this.taskLocator.content(),
    };
  }

  /** Takes a snapshot's content, or with none empties every read model to fold the store again from its start. */
  restore(content?: ReadModelsContent): void {
    for (const [name, projection] of Object.entries(this.named)) projection.restore(content?.projections[name]);
    this.alarms.restore(content?.alarms);
    this.taskLocator.restore(content?.taskLocator);
  }
}
