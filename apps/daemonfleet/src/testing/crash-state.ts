import { randomUUID } from 'node:crypto';
import { Streams, type CapacityProviderRecord, type DaemonRevisionCreated, type DeploymentCreated } from '@daemonfleet/contracts';
import { daemonDecider, type CreateDaemon } from '@daemonfleet/domain';
import type { EventStore, NewEvent } from '@daemonfleet/event-store';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const prefix = `arn:aws:ecs:${scope.region}:${scope.accountId}`;

/**
 * Writes what an orchestrator that crashed in the middle of CreateDaemon leaves in the store: the daemon's events
 * (decided by the real domain), and, when `deploymentOpened`, the deployment's first event, but nothing after.
 */
export async function writeInterruptedCreateDaemon(
  store: EventStore,
  { cluster, daemonName, deploymentOpened }: { cluster: string; daemonName: string; deploymentOpened: boolean },
): Promise<{ deploymentId: string }> {
  const deploymentId = `crash${randomUUID().replace(/-/g, '').slice(0, 11)}`;
  const provider: CapacityProviderRecord = {
    capacityProviderArn: `${prefix}:capacity-provider/${cluster}-mi`,
    name: `${cluster}-mi`,
    type: 'MANAGED_INSTANCES',
    clusterName: cluster,
    status: 'ACTIVE',
  };
  const command: CreateDaemon = {
    type: 'CreateDaemon',
    data: {
      scope,
      clusterName: cluster,
      daemonName,
      clusterExists: true,
      taskDefinition: {
        reference: `${cluster}-agent:1`,
        found: { daemonTaskDefinitionArn: `${prefix}:daemon-task-definition/${cluster}-agent:1`, status: 'ACTIVE', containerImages: [] },
      },
      capacityProviders: [{ reference: provider.name, found: provider }],
      settings: {
        deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
        propagateTags: 'NONE',
        enableECSManagedTags: false,
        enableExecuteCommand: false,
        critical: true,
      },
      tags: [],
      clientToken: null,
      requestFingerprint: 'interrupted',
      revisionId: '1234567890123456789',
      deploymentId,
      now: Date.now(),
    },
  };
  const daemonEvents = daemonDecider.decide(command, daemonDecider.initialState());
  await store.appendToStream(Streams.daemon(scope, cluster, daemonName), daemonEvents.map(withMetadata), { expectedVersion: 'no_stream' });
  if (deploymentOpened) {
    const revision = (daemonEvents[1] as DaemonRevisionCreated).data;
    const opened: DeploymentCreated = {
      type: 'DeploymentCreated',
      data: {
        deploymentId,
        daemonDeploymentArn: revision.deploymentArn,
        daemonArn: revision.daemonArn,
        clusterArn: `${prefix}:cluster/${cluster}`,
        targetRevision: {
          arn: revision.revision.daemonRevisionArn,
          daemonTaskDefinitionArn: revision.revision.daemonTaskDefinitionArn,
          capacityProviderArns: revision.revision.capacityProviderArns,
          critical: true,
        },
        sourceRevisionArns: [],
        deploymentConfiguration: revision.deploymentConfiguration,
        createdAt: revision.createdAt,
      },
    };
    await store.appendToStream(Streams.daemonDeployment(deploymentId), [withMetadata(opened)], { expectedVersion: 'no_stream' });
  }
  return { deploymentId };
}

function withMetadata(event: { type: string; data: object }): NewEvent {
  return { ...event, metadata: { eventId: randomUUID(), occurredAt: new Date().toISOString(), correlationId: 'interrupted-request', schemaVersion: 1 } };
}
