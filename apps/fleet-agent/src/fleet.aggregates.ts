import type { Provider } from '@nestjs/common';
import type { ClusterEvent, FaultRuleEvent, ServiceEvent, TaskDefinitionEvent } from '@daemonfleet/contracts';
import {
  clusterDecider,
  faultRuleDecider,
  serviceDecider,
  taskDefinitionDecider,
  type ClusterCommand,
  type ClusterState,
  type FaultRuleCommand,
  type FaultRuleState,
  type ServiceCommand,
  type ServiceState,
  type TaskDefinitionCommand,
  type TaskDefinitionFamilyState,
} from '@daemonfleet/domain';
import type { EventStore } from '@daemonfleet/event-store';
import { EVENT_STORE, EventSourcedAggregates, IDS, type IdGenerator } from '@daemonfleet/service-runtime';

/**
 * The aggregates this service owns whose states are immutable values. One instance of each per process, so their
 * caches stay coherent. Capacity providers, whose fleets change in place, have their own wrapper (CapacityProviders).
 */
export type Clusters = EventSourcedAggregates<ClusterState, ClusterCommand, ClusterEvent>;
export type Services = EventSourcedAggregates<ServiceState, ServiceCommand, ServiceEvent>;
export type TaskDefinitionFamilies = EventSourcedAggregates<TaskDefinitionFamilyState, TaskDefinitionCommand, TaskDefinitionEvent>;
export type FaultRules = EventSourcedAggregates<FaultRuleState, FaultRuleCommand, FaultRuleEvent>;

export const CLUSTERS = Symbol('CLUSTERS');
export const SERVICES = Symbol('SERVICES');
export const TASK_DEFINITION_FAMILIES = Symbol('TASK_DEFINITION_FAMILIES');
export const FAULT_RULES = Symbol('FAULT_RULES');

export const aggregateProviders: Provider[] = [
  {
    provide: CLUSTERS,
    inject: [EVENT_STORE, IDS],
    useFactory: (store: EventStore, ids: IdGenerator): Clusters => new EventSourcedAggregates(store, clusterDecider, ids.uuid),
  },
  {
    provide: SERVICES,
    inject: [EVENT_STORE, IDS],
    useFactory: (store: EventStore, ids: IdGenerator): Services => new EventSourcedAggregates(store, serviceDecider, ids.uuid),
  },
  {
    provide: TASK_DEFINITION_FAMILIES,
    inject: [EVENT_STORE, IDS],
    useFactory: (store: EventStore, ids: IdGenerator): TaskDefinitionFamilies => new EventSourcedAggregates(store, taskDefinitionDecider, ids.uuid),
  },
  {
    provide: FAULT_RULES,
    inject: [EVENT_STORE, IDS],
    useFactory: (store: EventStore, ids: IdGenerator): FaultRules => new EventSourcedAggregates(store, faultRuleDecider, ids.uuid),
  },
];
