import type { Provider } from '@nestjs/common';
import type { DaemonClientTokenEvent, DaemonEvent, DaemonTaskDefinitionEvent, DeploymentEvent } from '@daemonfleet/contracts';
import {
  daemonClientTokenDecider,
  daemonDecider,
  daemonTaskDefinitionDecider,
  deploymentDecider,
  type CreateDeployment,
  type DaemonClientTokenCommand,
  type DaemonClientTokenState,
  type DaemonCommand,
  type DaemonState,
  type DaemonTaskDefinitionCommand,
  type DaemonTaskDefinitionFamilyState,
  type Decider,
  type DeploymentCommand,
  type DeploymentState,
  type StopDeployment,
} from '@daemonfleet/domain';
import type { EventStore } from '@daemonfleet/event-store';
import { EVENT_STORE, EventSourcedAggregates, IDS, type IdGenerator } from '@daemonfleet/service-runtime';

/** The aggregates this service owns. One instance of each per process, so their caches stay coherent. */
export type TaskDefinitionFamilies = EventSourcedAggregates<DaemonTaskDefinitionFamilyState, DaemonTaskDefinitionCommand, DaemonTaskDefinitionEvent>;
export type Daemons = EventSourcedAggregates<DaemonState, DaemonCommand, DaemonEvent>;
export type Deployments = EventSourcedAggregates<DeploymentState, OrchestratorDeploymentCommand, DeploymentEvent>;
export type DaemonClientTokens = EventSourcedAggregates<DaemonClientTokenState, DaemonClientTokenCommand, DaemonClientTokenEvent>;

export const TASK_DEFINITION_FAMILIES = Symbol('TASK_DEFINITION_FAMILIES');
export const DAEMONS = Symbol('DAEMONS');
export const DEPLOYMENTS = Symbol('DEPLOYMENTS');
export const DAEMON_CLIENT_TOKENS = Symbol('DAEMON_CLIENT_TOKENS');

/**
 * Opens a deployment its daemon superseded before it was opened (DeploymentOpener): its DeploymentCreated and its
 * DeploymentStopped in one append, so no reconcile, on any replica, ever finds it unfinished. Nothing when the
 * stream exists already: an open deployment is stopped the usual way (StopDeployment).
 */
export type OpenSupersededDeployment = {
  readonly type: 'OpenSupersededDeployment';
  readonly data: { readonly created: CreateDeployment['data']; readonly stop: StopDeployment['data'] };
};
export type OrchestratorDeploymentCommand = DeploymentCommand | OpenSupersededDeployment;

/** The domain's deployment decider, and OpenSupersededDeployment: its CreateDeployment then its StopDeployment, decided together. */
export const orchestratorDeploymentDecider: Decider<DeploymentState, OrchestratorDeploymentCommand, DeploymentEvent> = {
  initialState: deploymentDecider.initialState,
  evolve: deploymentDecider.evolve,
  decide: (command, state) => {
    if (command.type !== 'OpenSupersededDeployment') return deploymentDecider.decide(command, state);
    const created = deploymentDecider.decide({ type: 'CreateDeployment', data: command.data.created }, state);
    if (created.length === 0) return [];
    const pending = created.reduce(deploymentDecider.evolve, state);
    return [...created, ...deploymentDecider.decide({ type: 'StopDeployment', data: command.data.stop }, pending)];
  },
};

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
    useFactory: (store: EventStore, ids: IdGenerator): Deployments => new EventSourcedAggregates(store, orchestratorDeploymentDecider, ids.uuid),
  },
  {
    provide: DAEMON_CLIENT_TOKENS,
    inject: [EVENT_STORE, IDS],
    useFactory: (store: EventStore, ids: IdGenerator): DaemonClientTokens => new EventSourcedAggregates(store, daemonClientTokenDecider, ids.uuid),
  },
];
