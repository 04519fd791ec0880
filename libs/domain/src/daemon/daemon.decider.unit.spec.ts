import type { CapacityProviderRecord, DaemonEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import {
  CapacityProviderNotFound,
  CapacityProviderNotInCluster,
  CapacityProviderNotManagedInstances,
  ClientTokenReused,
  ClusterNotFound,
  DaemonNameInUse,
  DaemonNotActive,
  DaemonNotFound,
  DaemonTaskDefinitionNotActive,
  DaemonTaskDefinitionNotFound,
} from '../shared/domain-errors.js';
import { deploymentCreatedFor } from './daemon-deployment.js';
import { daemonDecider, type CreateDaemon, type DeleteDaemon, type RemoveDaemon, type RestoreRevision, type UpdateDaemon } from './daemon.decider.js';
import { currentRevision, latestRevision } from './daemon.state.js';

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

describe('CreateDaemon on a name used before', () => {
  it('refuses the name of a daemon being deleted (decision 9)', () =>
    given([created(), revisionCreated(), deletionRequested()]).when(createDaemon()).thenThrows(DaemonNameInUse));

  it('creates a new daemon once the earlier one is removed', () =>
    given([created(), revisionCreated(), deletionRequested(), removed()]).when(createDaemon({ deploymentId: 'third0000000000x' })).then([
      created(),
      revisionCreated({ deploymentId: 'third0000000000x' }),
    ]));

  it('keeps the deployments of the removed daemon under the ARN, and starts its revisions afresh', () => {
    const state = fold(daemonDecider, [created(), revisionCreated(), deletionRequested(), removed(), created(), revisionCreated({ deploymentId: 'third0000000000x' })]);
    expect(state.status === 'ACTIVE' && state.deployments.map((d) => d.deploymentId)).toEqual([deploymentId, 'deletion00000000', 'third0000000000x']);
    expect(state.status === 'ACTIVE' && state.revisions).toHaveLength(1);
  });
});

describe('UpdateDaemon (spec 2.6)', () => {
  it('creates a new revision with the settings given, and the deployment that rolls it out', () =>
    given([created(), revisionCreated()])
      .when(updateDaemon({ settings: { ...settings, critical: false, enableExecuteCommand: true } }))
      .then([revisionCreated({ revisionId: '2', deploymentId: 'second0000000000', critical: false, enableExecuteCommand: true })]));

  it('refuses an unknown daemon', () => given([]).when(updateDaemon()).thenThrows(DaemonNotFound));

  it('refuses a removed daemon', () => given([created(), revisionCreated(), deletionRequested(), removed()]).when(updateDaemon()).thenThrows(DaemonNotFound));

  it('refuses a daemon being deleted', () => given([created(), revisionCreated(), deletionRequested()]).when(updateDaemon()).thenThrows(DaemonNotActive));

  it('checks the task definition as CreateDaemon does', () =>
    given([created(), revisionCreated()])
      .when(updateDaemon({ taskDefinition: { reference: 'agent:1', found: { ...taskDefinition, status: 'DELETE_IN_PROGRESS' } } }))
      .thenThrows(DaemonTaskDefinitionNotActive));

  it('checks the capacity providers as CreateDaemon does', () =>
    given([created(), revisionCreated()])
      .when(updateDaemon({ capacityProviders: [{ reference: 'mi', found: { ...provider, clusterName: 'elsewhere' } }] }))
      .thenThrows(CapacityProviderNotInCluster));

  it('moves updatedAt and the latest deployment', () => {
    const state = fold(daemonDecider, [created(), revisionCreated(), revisionCreated({ revisionId: '2', deploymentId: 'second0000000000', at: now + 1 })]);
    expect(state.status === 'ACTIVE' && [state.updatedAt, state.deployments.at(-1)?.deploymentId]).toEqual([now + 1, 'second0000000000']);
  });
});

describe('DeleteDaemon (spec 2.7, decisions 7 and 8)', () => {
  it('puts the daemon in DELETE_IN_PROGRESS with the deployment that drains it away', () =>
    given([created(), revisionCreated()]).when(deleteDaemon()).then([deletionRequested()]));

  it('refuses a second delete', () => given([created(), revisionCreated(), deletionRequested()]).when(deleteDaemon()).thenThrows(DaemonNotActive));

  it('refuses an unknown daemon', () => given([]).when(deleteDaemon()).thenThrows(DaemonNotFound));

  it('records the delete deployment with no target, on the current deployment configuration', () => {
    const state = fold(daemonDecider, [created(), revisionCreated(), deletionRequested()]);
    expect(state.status === 'DELETE_IN_PROGRESS' && state.deployments.at(-1)).toEqual({
      deploymentId: 'deletion00000000',
      deploymentArn: `${arnPrefix}:daemon-deployment/prod/monitor/deletion00000000`,
      targetRevisionArn: null,
      deploymentConfiguration: settings.deploymentConfiguration,
      createdAt: now + 10,
    });
  });
});

describe('RemoveDaemon: the reaction to the delete deployment’s success', () => {
  it('removes the daemon', () => given([created(), revisionCreated(), deletionRequested()]).when(removeDaemon()).then([removed()]));

  it('does nothing for another deployment', () =>
    given([created(), revisionCreated(), deletionRequested()]).when(removeDaemon(deploymentId)).thenNothingHappened());

  it('does nothing to an active daemon', () => given([created(), revisionCreated()]).when(removeDaemon(deploymentId)).thenNothingHappened());

  it('does nothing when repeated', () => given([created(), revisionCreated(), deletionRequested(), removed()]).when(removeDaemon()).thenNothingHappened());
});

describe('RestoreRevision: the reaction to a deployment’s rollback (spec 3.7)', () => {
  const second = (): DaemonEvent => revisionCreated({ revisionId: '2', deploymentId: 'second0000000000', at: now + 1 });

  it('makes the revision rolled back to the daemon’s current one again', () =>
    given([created(), revisionCreated(), second()]).when(restoreRevision()).then([restored()]));

  it('is what new instances launch, until a newer revision is created', () => {
    const restoredState = fold(daemonDecider, [created(), revisionCreated(), second(), restored()]);
    expect(currentRevision(restoredState)?.revisionId).toBe('4980306466373577095');
    expect(latestRevision(restoredState)?.revisionId).toBe('2');
    expect(currentRevision(fold(daemonDecider, [created(), revisionCreated(), second(), restored(), revisionCreated({ revisionId: '3', deploymentId: 'third0000000000x' })]))?.revisionId).toBe('3');
  });

  it('does nothing when repeated', () => given([created(), revisionCreated(), second(), restored()]).when(restoreRevision()).thenNothingHappened());

  it('does nothing for a deployment a newer one superseded', () =>
    given([created(), revisionCreated(), second(), revisionCreated({ revisionId: '3', deploymentId: 'third0000000000x' })]).when(restoreRevision()).thenNothingHappened());

  it('does nothing for a revision the daemon does not have', () =>
    given([created(), revisionCreated(), second()]).when(restoreRevision(`${arnPrefix}:daemon-revision/prod/monitor/unknown`)).thenNothingHappened());

  it('does nothing to a daemon being deleted', () => given([created(), revisionCreated(), second(), deletionRequested()]).when(restoreRevision()).thenNothingHappened());
});

describe('what a deployment of the daemon starts from', () => {
  const state = fold(daemonDecider, [created(), revisionCreated(), deletionRequested()]);
  const revisionArn = `${arnPrefix}:daemon-revision/prod/monitor/4980306466373577095`;

  it('targets the revision it rolls out, and lists the other revisions still running as sources', () =>
    expect(deploymentCreatedFor(state, deploymentId, [revisionArn, 'arn:older'])).toEqual({
      deploymentId,
      daemonDeploymentArn: `${arnPrefix}:daemon-deployment/prod/monitor/${deploymentId}`,
      daemonArn: `${arnPrefix}:daemon/prod/monitor`,
      clusterArn: `${arnPrefix}:cluster/prod`,
      targetRevision: { arn: revisionArn, daemonTaskDefinitionArn: taskDefinition.daemonTaskDefinitionArn, capacityProviderArns: [provider.capacityProviderArn], critical: true },
      sourceRevisionArns: ['arn:older'],
      deploymentConfiguration: settings.deploymentConfiguration,
      createdAt: now,
    }));

  it('has no target for a deletion; the current revisions are its sources', () =>
    expect(deploymentCreatedFor(state, 'deletion00000000', [revisionArn])).toMatchObject({ targetRevision: null, sourceRevisionArns: [revisionArn] }));

  it('knows no deployment the daemon does not have', () => expect(deploymentCreatedFor(state, 'unknown000000000', [])).toBeUndefined());
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
      deploymentId,
      now,
      ...overrides,
    },
  };
}

const deploymentId = 'aB1cD2eF3gH4iJ5k';

function updateDaemon(overrides: Partial<UpdateDaemon['data']> = {}): UpdateDaemon {
  const { clusterExists: _exists, tags: _tags, clientToken: _token, requestFingerprint: _fingerprint, ...data } = createDaemon().data;
  return { type: 'UpdateDaemon', data: { ...data, revisionId: '2', deploymentId: 'second0000000000', ...overrides } };
}

function deleteDaemon(): DeleteDaemon {
  return { type: 'DeleteDaemon', data: { scope, clusterName: 'prod', daemonName: 'monitor', deploymentId: 'deletion00000000', now: now + 10 } };
}

function removeDaemon(id = 'deletion00000000'): RemoveDaemon {
  return { type: 'RemoveDaemon', data: { deploymentId: id, now: now + 20 } };
}

const firstRevisionArn = `${arnPrefix}:daemon-revision/prod/monitor/4980306466373577095`;

function restoreRevision(revisionArn = firstRevisionArn): RestoreRevision {
  return { type: 'RestoreRevision', data: { deploymentId: 'second0000000000', revisionArn, now: now + 30 } };
}

function restored(): DaemonEvent {
  return {
    type: 'DaemonRevisionRestored',
    data: { daemonArn: `${arnPrefix}:daemon/prod/monitor`, revisionArn: firstRevisionArn, deploymentId: 'second0000000000', restoredAt: now + 30 },
  };
}

function deletionRequested(): DaemonEvent {
  return {
    type: 'DaemonDeletionRequested',
    data: {
      daemonArn: `${arnPrefix}:daemon/prod/monitor`,
      deploymentId: 'deletion00000000',
      deploymentArn: `${arnPrefix}:daemon-deployment/prod/monitor/deletion00000000`,
      requestedAt: now + 10,
    },
  };
}

function removed(): DaemonEvent {
  return { type: 'DaemonRemoved', data: { daemonArn: `${arnPrefix}:daemon/prod/monitor`, removedAt: now + 20 } };
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

function revisionCreated({
  revisionId = '4980306466373577095',
  deploymentId: id = deploymentId,
  critical = true,
  enableExecuteCommand = false,
  at = now,
}: { revisionId?: string; deploymentId?: string; critical?: boolean; enableExecuteCommand?: boolean; at?: number } = {}): DaemonEvent {
  return {
    type: 'DaemonRevisionCreated',
    data: {
      daemonArn: `${arnPrefix}:daemon/prod/monitor`,
      revision: {
        daemonRevisionArn: `${arnPrefix}:daemon-revision/prod/monitor/${revisionId}`,
        revisionId,
        daemonTaskDefinitionArn: taskDefinition.daemonTaskDefinitionArn,
        capacityProviderArns: [provider.capacityProviderArn],
        propagateTags: 'NONE',
        enableECSManagedTags: false,
        enableExecuteCommand,
        critical,
        containerImages: taskDefinition.containerImages,
        createdAt: at,
      },
      deploymentConfiguration: settings.deploymentConfiguration,
      deploymentId: id,
      deploymentArn: `${arnPrefix}:daemon-deployment/prod/monitor/${id}`,
      createdAt: at,
    },
  };
}
