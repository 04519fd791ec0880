import type { CapacityProviderRecord, ServiceEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
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
import { resolveServiceReference } from './service-reference.js';
import { serviceDecider, type CreateService } from './service.decider.js';

const given = DeciderSpecification.for(serviceDecider);

describe('CreateService', () => {
  it('creates the service with its strategy, ACTIVE', () => given([]).when(createService()).then([created]));

  it('refuses a name in use in the cluster, ACTIVE or DRAINING', () => {
    given([created]).when(createService()).thenThrows(ServiceNameInUse);
    given([created, deletionStarted]).when(createService()).thenThrows(ServiceNameInUse);
  });

  it('takes the name of a deleted service again', () => given([created, deletionStarted, deleted]).when(createService()).then([created]));

  it('refuses an unknown cluster or task definition', () => {
    given([]).when(createService({ clusterExists: false })).thenThrows(ClusterNotFound);
    given([]).when(createService({ taskDefinition: { reference: 'web:9', found: null } })).thenThrows(TaskDefinitionNotFound);
  });

  it('refuses a strategy provider that is unknown, not Managed Instances, or of another cluster, naming the field', () => {
    given([]).when(createService({ capacityProviderStrategy: [item({ found: null })] })).thenThrows(CapacityProviderNotFound);
    given([])
      .when(createService({ capacityProviderStrategy: [item({ found: { ...provider, type: 'EC2_AUTOSCALING', clusterName: null } })] }))
      .thenThrows(CapacityProviderNotManagedInstances, (error) => expect(error.details).toEqual({ field: 'capacityProviderStrategy' }));
    given([])
      .when(createService({ capacityProviderStrategy: [item({ found: { ...provider, clusterName: 'elsewhere' } })] }))
      .thenThrows(CapacityProviderNotInCluster, (error) => expect(error.message).toMatch(/^capacityProviderStrategy: /));
  });

  it('refuses a provider named twice (by name and by ARN), and a strategy that places nothing', () => {
    given([]).when(createService({ capacityProviderStrategy: [item(), item({ reference: provider.capacityProviderArn })] })).thenThrows(InvalidParameter);
    given([]).when(createService({ capacityProviderStrategy: [item({ weight: 0, base: 0 })] })).thenThrows(InvalidParameter);
  });
});

describe('UpdateService', () => {
  it('sets the desired count', () => given([created]).when(update(5)).then([{ type: 'ServiceDesiredCountSet', data: { desiredCount: 5, updatedAt: now } }]));
  it('changes nothing when the count is the same', () => given([created]).when(update(3)).thenNothingHappened());
  it('refuses a service that does not exist or was deleted', () => {
    given([]).when(update(5)).thenThrows(ServiceNotFound);
    given([created, deletionStarted, deleted]).when(update(5)).thenThrows(ServiceNotFound);
  });
  it('refuses a draining service', () => given([created, deletionStarted]).when(update(5)).thenThrows(ServiceNotActive));
});

describe('DeleteService and its completion', () => {
  it('starts draining the service', () => given([created]).when(remove()).then([deletionStarted]));
  it('answers a repeated delete as the first one, starting nothing new', () => given([created, deletionStarted]).when(remove()).thenNothingHappened());
  it('refuses a service that does not exist', () => given([]).when(remove()).thenThrows(ServiceNotFound));
  it('completes once asked, when the service drains, and only then', () => {
    given([created, deletionStarted]).when(complete()).then([deleted]);
    given([created]).when(complete()).thenNothingHappened();
    given([created, deletionStarted, deleted]).when(complete()).thenNothingHappened();
  });
});

describe('resolveServiceReference', () => {
  it('takes a name in the given cluster (default: "default"), or an ARN that names its cluster', () => {
    expect(resolveServiceReference({ cluster: 'prod', service: 'web' }, scope)).toEqual({ scope, clusterName: 'prod', serviceName: 'web' });
    expect(resolveServiceReference({ service: 'web' }, scope)).toEqual({ scope, clusterName: 'default', serviceName: 'web' });
    expect(resolveServiceReference({ service: `${prefix}:service/prod/web` }, scope)).toEqual({ scope, clusterName: 'prod', serviceName: 'web' });
    expect(resolveServiceReference({ cluster: `${prefix}:cluster/prod`, service: `${prefix}:service/prod/web` }, scope)).toMatchObject({ clusterName: 'prod' });
  });

  it('refuses an ARN of another cluster than the one given, and what is neither a name nor a service ARN', () => {
    expect(() => resolveServiceReference({ cluster: 'other', service: `${prefix}:service/prod/web` }, scope)).toThrow(InvalidParameter);
    expect(() => resolveServiceReference({ service: `${prefix}:cluster/prod` }, scope)).toThrow(InvalidParameter);
    expect(() => resolveServiceReference({ service: 'web service' }, scope)).toThrow(InvalidParameter);
  });
});

// Fixtures last, so the scenarios read first.
const scope = { accountId: '123456789012', region: 'us-east-1' };
const prefix = 'arn:aws:ecs:us-east-1:123456789012';
const now = 1_742_040_000_000;
const provider: CapacityProviderRecord = { capacityProviderArn: `${prefix}:capacity-provider/mi`, name: 'mi', type: 'MANAGED_INSTANCES', clusterName: 'prod', status: 'ACTIVE' };
const item = (overrides: Partial<CreateService['data']['capacityProviderStrategy'][number]> = {}) => ({ reference: 'mi', found: provider, weight: 1, base: 0, ...overrides });

function createService(overrides: Partial<CreateService['data']> = {}): CreateService {
  return {
    type: 'CreateService',
    data: {
      scope,
      clusterName: 'prod',
      serviceName: 'web',
      clusterExists: true,
      taskDefinition: { reference: 'web', found: { taskDefinitionArn: `${prefix}:task-definition/web:1` } },
      capacityProviderStrategy: [item()],
      desiredCount: 3,
      tags: [],
      now,
      ...overrides,
    },
  };
}
const update = (desiredCount: number) => ({ type: 'UpdateService', data: { reference: 'web', desiredCount, now } }) as const;
const remove = () => ({ type: 'DeleteService', data: { reference: 'web', now } }) as const;
const complete = () => ({ type: 'CompleteServiceDeletion', data: { now } }) as const;

const created: ServiceEvent = {
  type: 'ServiceCreated',
  data: {
    serviceArn: `${prefix}:service/prod/web`,
    serviceName: 'web',
    clusterArn: `${prefix}:cluster/prod`,
    taskDefinitionArn: `${prefix}:task-definition/web:1`,
    desiredCount: 3,
    capacityProviderStrategy: [{ capacityProviderArn: provider.capacityProviderArn, weight: 1, base: 0 }],
    tags: [],
    createdAt: now,
  },
};
const deletionStarted: ServiceEvent = { type: 'ServiceDeletionStarted', data: { startedAt: now } };
const deleted: ServiceEvent = { type: 'ServiceDeleted', data: { deletedAt: now } };
