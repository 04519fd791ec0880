import type { Provider } from '@nestjs/common';
import type { DaemonClientTokenEvent, DaemonEvent, DaemonTaskDefinitionEvent, DeploymentEvent } from '@daemonfleet/contracts';
import {
  daemonClientTokenDecider,
  daemonDecider,
  daemonTaskDefinitionDecider,
  deploymentDecider,
  type DaemonClientTokenCommand,
  type DaemonClientTokenState,
  type DaemonCommand,
  type DaemonState,
  type DaemonTaskDefinitionCommand,
  type DaemonTaskDefinitionFamilyState,
  type DeploymentCommand,
  type DeploymentState,
} from '@daemonfleet/domain';
import type { EventStore } from '@daemonfleet/event-store';
import { EVENT_STORE, EventSourcedAggregates, IDS, type IdGenerator } from '@daemonfleet/service-runtime';

/** The aggregates this service owns. One instance of each per process, so their caches stay coherent. */
export type TaskDefinitionFamilies = EventSourcedAggregates<DaemonTaskDefinitionFamilyState, DaemonTaskDefinitionCommand, DaemonTaskDefinitionEvent>;
export type Daemons = EventSourcedAggregates<DaemonState, DaemonCommand, DaemonEvent>;
export type Deployments = EventSourcedAggregates<DeploymentState, DeploymentCommand, DeploymentEvent>;
export type DaemonClientTokens = EventSourcedAggregates<DaemonClientTokenState, DaemonClientTokenCommand, DaemonClientTokenEvent>;

export const TASK_DEFINITION_FAMILIES = Symbol('TASK_DEFINITION_FAMILIES');
export const DAEMONS = Symbol('DAEMONS');
export const DEPLOYMENTS = Symbol('DEPLOYMENTS');
export const DAEMON_CLIENT_TOKENS = Symbol('DAEMON_CLIENT_TOKENS');

export const aggregateProviders: Provider[] = [
  {
    provide: TASK_DEFINITION_FAMILIES,
    inject: [EVENT_STORE, IDS],
    useFactory: (store: EventStore, ids: IdGenerator): TaskDefinitionFamilies => new EventSourcedAggregates(store, daemonTaskDefinitionDecider, ids.uuid),
  },
  {
    provide: DAEMONS,
    inject: [EVENT_STORE, IDS],
    useFactory: (store: EventStore, ids: IdGenerator): Daemons => new EventSourcedAggregates(store, daemonDecider, ids.uuid),
  },
  {
    provide: DEPLOYMENTS,
    inject: [EVENT_STORE, IDS],
    useFactory: (store: EventStore, ids: IdGenerator): Deployments => new EventSourcedAggregates(store, deploymentDecider, ids.uuid),
  },
  {
    provide: DAEMON_CLIENT_TOKENS,
    inject: [EVENT_STORE, IDS],
    useFactory: (store: EventStore, ids: IdGenerator): DaemonClientTokens => new EventSourcedAggregates(store, daemonClientTokenDecider, ids.uuid),
  },
];
