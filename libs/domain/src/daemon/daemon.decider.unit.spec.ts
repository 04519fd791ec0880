import type { CapacityProviderRecord, DaemonEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, it } from 'vitest';
import {
  CapacityProviderNotFound,
  CapacityProviderNotInCluster,
  CapacityProviderNotManagedInstances,
  ClientTokenReused,
  ClusterNotFound,
  DaemonNameInUse,
  DaemonTaskDefinitionNotActive,
  DaemonTaskDefinitionNotFound,
} from '../shared/domain-errors.js';
import { daemonDecider, type CreateDaemon } from './daemon.decider.js';

const given = DeciderSpecification.for(daemonDecider);

describe('CreateDaemon', () => {
  it('creates the daemon, its first revision and the deployment that rolls it out', () =>
    given([]).when(createDaemon()).then([created(), revisionCreated()]));

  it('is answered from the state when retried with the same token and parameters', () =>
    given([created({ clientToken: 'token-1' }), revisionCreated()]).when(createDaemon({ clientToken: 'token-1' })).thenNothingHappened());

  it('refuses the same token with other parameters', () =>
    given([created({ clientToken: 'token-1' }), revisionCreated()])
      .when(createDaemon({ clientToken: 'token-1', requestFingerprint: 'other' }))
      .thenThrows(ClientTokenReused));

  it('refuses a name in use in the cluster', () => given([created(), revisionCreated()]).when(createDaemon()).thenThrows(DaemonNameInUse));

  it('refuses a name in use even with a new token', () =>
    given([created({ clientToken: 'token-1' }), revisionCreated()]).when(createDaemon({ clientToken: 'token-2' })).thenThrows(DaemonNameInUse));

  it('refuses an unknown cluster', () => given([]).when(createDaemon({ clusterExists: false })).thenThrows(ClusterNotFound));

  it('refuses an unknown task definition', () =>
    given([]).when(createDaemon({ taskDefinition: { reference: 'agent:9', found: null } })).thenThrows(DaemonTaskDefinitionNotFound));

  it('refuses a task definition that is being deleted', () =>
    given([])
      .when(createDaemon({ taskDefinition: { reference: 'agent:1', found: { ...taskDefinition, status: 'DELETE_IN_PROGRESS' } } }))
      .thenThrows(DaemonTaskDefinitionNotActive));

  it('refuses an unknown capacity provider', () =>
    given([]).when(createDaemon({ capacityProviders: [{ reference: 'nope', found: null }] })).thenThrows(CapacityProviderNotFound));

  it('refuses a capacity provider that is not Managed Instances', () =>
    given([])
      .when(createDaemon({ capacityProviders: [{ reference: 'asg', found: { ...provider, type: 'EC2_AUTOSCALING', clusterName: null } }] }))
      .thenThrows(CapacityProviderNotManagedInstances));

  it('refuses a capacity provider of another cluster', () =>
    given([])
      .when(createDaemon({ capacityProviders: [{ reference: 'mi', found: { ...provider, clusterName: 'elsewhere' } }] }))
      .thenThrows(CapacityProviderNotInCluster));

  it('lists a capacity provider named twice once', () =>
    given([])
      .when(createDaemon({ capacityProviders: [{ reference: 'mi', found: provider }, { reference: provider.capacityProviderArn, found: provider }] }))
      .then([created(), revisionCreated()]));
});

// Fixtures last, so the scenarios read first. Fixed ids and a fixed instant: no randomness.
const scope = { accountId: '123456789012', region: 'us-east-1' };
const now = 1_742_040_000_000;
const arnPrefix = 'arn:aws:ecs:us-east-1:123456789012';
const provider: CapacityProviderRecord = {
  capacityProviderArn: `${arnPrefix}:capacity-provider/mi`,
  name: 'mi',
  type: 'MANAGED_INSTANCES',
  clusterName: 'prod',
  status: 'ACTIVE',
};
const taskDefinition = {
  daemonTaskDefinitionArn: `${arnPrefix}:daemon-task-definition/agent:1`,
  status: 'ACTIVE',
  containerImages: [{ containerName: 'agent', image: 'agent:1.0', imageDigest: 'sha256:00' }],
};
const settings = {
  deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
  propagateTags: 'NONE' as const,
  enableECSManagedTags: false,
  enableExecuteCommand: false,
  critical: true,
};

function createDaemon(overrides: Partial<CreateDaemon['data']> = {}): CreateDaemon {
  return {
    type: 'CreateDaemon',
    data: {
      scope,
      clusterName: 'prod',
      daemonName: 'monitor',
      clusterExists: true,
      taskDefinition: { reference: 'agent:1', found: taskDefinition },
      capacityProviders: [{ reference: 'mi', found: provider }],
      settings,
      tags: [],
      clientToken: null,
      requestFingerprint: 'fingerprint',
      revisionId: '4980306466373577095',
      deploymentId: 'aB1cD2eF3gH4iJ5k',
      now,
      ...overrides,
    },
  };
}

function created(overrides: { clientToken?: string } = {}): DaemonEvent {
  return {
    type: 'DaemonCreated',
    data: {
      daemonArn: `${arnPrefix}:daemon/prod/monitor`,
      daemonName: 'monitor',
      clusterArn: `${arnPrefix}:cluster/prod`,
      tags: [],
      clientToken: overrides.clientToken ?? null,
      requestFingerprint: 'fingerprint',
      createdAt: now,
    },
  };
}

function revisionCreated(): DaemonEvent {
  return {
    type: 'DaemonRevisionCreated',
    data: {
      daemonArn: `${arnPrefix}:daemon/prod/monitor`,
      revision: {
        daemonRevisionArn: `${arnPrefix}:daemon-revision/prod/monitor/4980306466373577095`,
        revisionId: '4980306466373577095',
        daemonTaskDefinitionArn: taskDefinition.daemonTaskDefinitionArn,
        capacityProviderArns: [provider.capacityProviderArn],
        propagateTags: 'NONE',
        enableECSManagedTags: false,
        enableExecuteCommand: false,
        critical: true,
        containerImages: taskDefinition.containerImages,
        createdAt: now,
      },
      deploymentConfiguration: settings.deploymentConfiguration,
      deploymentId: 'aB1cD2eF3gH4iJ5k',
      deploymentArn: `${arnPrefix}:daemon-deployment/prod/monitor/aB1cD2eF3gH4iJ5k`,
      createdAt: now,
    },
  };
}
