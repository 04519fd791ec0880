import type {
  CapacityProviderRecord,
  CapacityProviderStrategyItem,
  EpochMillis,
  Scope,
  ServiceCreated,
  ServiceDeleted,
  ServiceDeletionStarted,
  ServiceDesiredCountSet,
  ServiceEvent,
  Tag,
} from '@daemonfleet/contracts';
import { Arns } from '../shared/arns.js';
import { assertNever, type Decider } from '../shared/decider.js';
import {
  CapacityProviderNotFound,
  CapacityProviderNotInCluster,
  CapacityProviderNotManagedInstances,
  ClusterNotFound,
  InvalidParameter,
  ServiceNameInUse,
  ServiceNotActive,
  ServiceNotFound,
  TaskDefinitionNotFound,
} from '../shared/domain-errors.js';
import { evolveService, initialServiceState, type ServiceState } from './service.state.js';

const STRATEGY_FIELD = 'capacityProviderStrategy';

export type CreateService = {
  readonly type: 'CreateService';
  readonly data: {
    readonly scope: Scope;
    readonly clusterName: string;
    readonly serviceName: string;
    /** Looked up by the caller. */
    readonly clusterExists: boolean;
    /** The task definition revision the reference resolved to, or null when there is none. */
    readonly taskDefinition: { readonly reference: string; readonly found: { readonly taskDefinitionArn: string } | null };
    /** Each strategy item, in request order, with what the fleet knows of its provider (null: unknown). */
    readonly capacityProviderStrategy: readonly {
      readonly reference: string;
      readonly found: CapacityProviderRecord | null;
      readonly weight: number;
      readonly base: number;
    }[];
    readonly desiredCount: number;
    readonly tags: readonly Tag[];
    readonly now: EpochMillis;
  };
};

/** `reference` is the service as the caller named it, for the error when it does not exist. */
export type UpdateService = {
  readonly type: 'UpdateService';
  readonly data: { readonly reference: string; readonly desiredCount: number; readonly now: EpochMillis };
};

export type DeleteService = { readonly type: 'DeleteService'; readonly data: { readonly reference: string; readonly now: EpochMillis } };

/** A reaction, not a request: the service reconciler sends it once a draining service has no task left. */
export type CompleteServiceDeletion = { readonly type: 'CompleteServiceDeletion'; readonly data: { readonly now: EpochMillis } };

export type ServiceCommand = CreateService | UpdateService | DeleteService | CompleteServiceDeletion;

/** A name is taken while its service is ACTIVE or DRAINING; an INACTIVE (deleted) one may be created again. */
const createService = ({ data }: CreateService, state: ServiceState): ServiceCreated[] => {
  if (!data.clusterExists) throw new ClusterNotFound(data.clusterName);
  if (state.status === 'ACTIVE' || state.status === 'DRAINING') throw new ServiceNameInUse(data.serviceName, data.clusterName);
  if (!data.taskDefinition.found) throw new TaskDefinitionNotFound(data.taskDefinition.reference);
  return [
    {
      type: 'ServiceCreated',
      data: {
        serviceArn: Arns.service(data.scope, data.clusterName, data.serviceName),
        serviceName: data.serviceName,
        clusterArn: Arns.cluster(data.scope, data.clusterName),
        taskDefinitionArn: data.taskDefinition.found.taskDefinitionArn,
        desiredCount: data.desiredCount,
        capacityProviderStrategy: checkStrategy(data.capacityProviderStrategy, data.clusterName),
        tags: data.tags,
        createdAt: data.now,
      },
    },
  ];
};

/** Each provider must exist, be Managed Instances and belong to the service's cluster (decision 10), once each. */
function checkStrategy(items: CreateService['data']['capacityProviderStrategy'], clusterName: string): CapacityProviderStrategyItem[] {
  const strategy = items.map(({ reference, found, weight, base }): CapacityProviderStrategyItem => {
    if (!found) throw new CapacityProviderNotFound(reference);
    if (found.type !== 'MANAGED_INSTANCES') throw new CapacityProviderNotManagedInstances(found.name, STRATEGY_FIELD);
    if (found.clusterName !== clusterName) throw new CapacityProviderNotInCluster(found.name, clusterName, STRATEGY_FIELD);
    return { capacityProviderArn: found.capacityProviderArn, weight, base };
  });
  const arns = strategy.map((item) => item.capacityProviderArn);
  const repeated = arns.find((arn, index) => arns.indexOf(arn) !== index);
  if (repeated) throw new InvalidParameter(STRATEGY_FIELD, `${STRATEGY_FIELD}: ${repeated} is named more than once`);
  if (!strategy.some((item) => item.weight > 0 || item.base > 0))
    throw new InvalidParameter(STRATEGY_FIELD, `${STRATEGY_FIELD}: at least one capacity provider needs a weight or a base above 0`);
  return strategy;
}

/** The service a request changes: it must exist (not deleted) and be ACTIVE. */
function activeService(state: ServiceState, reference: string): Extract<ServiceState, { serviceArn: string }> {
  if (state.status === 'NONE' || state.status === 'INACTIVE') throw new ServiceNotFound(reference);
  if (state.status !== 'ACTIVE') throw new ServiceNotActive(state.serviceArn, state.status);
  return state;
}

const updateService = ({ data }: UpdateService, state: ServiceState): ServiceDesiredCountSet[] => {
  const service = activeService(state, data.reference);
  if (service.desiredCount === data.desiredCount) return [];
  return [{ type: 'ServiceDesiredCountSet', data: { desiredCount: data.desiredCount, updatedAt: data.now } }];
};

/** Repeated while the service drains, DeleteService answers as the first one did and starts nothing new. */
const deleteService = ({ data }: DeleteService, state: ServiceState): ServiceDeletionStarted[] => {
  if (state.status === 'DRAINING') return [];
  activeService(state, data.reference);
  return [{ type: 'ServiceDeletionStarted', data: { startedAt: data.now } }];
};

const completeDeletion = ({ data }: CompleteServiceDeletion, state: ServiceState): ServiceDeleted[] =>
  state.status === 'DRAINING' ? [{ type: 'ServiceDeleted', data: { deletedAt: data.now } }] : [];

export const serviceDecider: Decider<ServiceState, ServiceCommand, ServiceEvent> = {
  initialState: initialServiceState,
  evolve: evolveService,
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateService':
        return createService(command, state);
      case 'UpdateService':
        return updateService(command, state);
      case 'DeleteService':
        return deleteService(command, state);
      case 'CompleteServiceDeletion':
        return completeDeletion(command, state);
      default:
        return assertNever(command);
    }
  },
};
