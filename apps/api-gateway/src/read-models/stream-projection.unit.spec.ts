import { Streams, type Event, type TaskDefinitionRegistered } from '@daemonfleet/contracts';
import { clusterDecider, daemonDecider, deploymentDecider, fold, type CreateDaemon, type DaemonState } from '@daemonfleet/domain';
import { createMemoryEventStore, type EventStore, type NewEvent, type RecordedEvent } from '@daemonfleet/event-store';
import { describe, expect, it } from 'vitest';
import { serviceCreated } from '../testing/fleet.fixtures.js';
import { ReadModels } from './read-models.js';
import { StreamProjection } from './stream-projection.js';

describe('StreamProjection', () => {
  it('folds the events of its category, per stream, and answers whether it took each event', async () => {
    const events = await recorded(async (store) => {
      await append(store, 'tally-a', [counted(), counted()]);
      await append(store, 'tallyArchive-a', [counted()]);
      await append(store, 'tally-b', [counted()]);
      await append(store, 'other-a', [counted()]);
    });
    const projection = new StreamProjection<number, Counted>('tally', () => 0, (n) => n + 1);

    expect(events.map((e) => projection.apply(e))).toEqual([true, true, false, true, false]);
    expect(projection.get('tally-a')).toBe(2);
    expect(projection.get('tally-b')).toBe(1);
    expect(projection.get('tallyArchive-a')).toBeUndefined();
    expect(projection.get('other-a')).toBeUndefined();
    expect([...projection.values()].sort()).toEqual([1, 2]);
  });

  it('does not take a category that merely starts with its own (daemon and daemonDeployment)', async () => {
    const events = await recorded(async (store) => {
      await append(store, DAEMON_STREAM, createdDaemonEvents());
      await append(store, Streams.daemonDeployment(DEPLOYMENT_ID), [deploymentCreated()]);
    });
    const daemons = new StreamProjection('daemon', daemonDecider.initialState, daemonDecider.evolve);

    expect(events.map((e) => daemons.apply(e))).toEqual([true, true, false]);
    expect([...daemons.values()]).toHaveLength(1);
  });

  it('holds the same state as the decider folding the stream', async () => {
    const events = await recorded((store) => append(store, DAEMON_STREAM, createdDaemonEvents()));
    const daemons = new StreamProjection('daemon', daemonDecider.initialState, daemonDecider.evolve);
    events.forEach((e) => daemons.apply(e));

    expect(daemons.get(DAEMON_STREAM)).toEqual(fold(daemonDecider, createdDaemonEvents()));
    expect((daemons.get(DAEMON_STREAM) as Exclude<DaemonState, { status: 'NONE' }>).revisions).toHaveLength(1);
  });
});

describe('ReadModels', () => {
  it('gives each event to the projection of its category alone', async () => {
    const events = await recorded(async (store) => {
      await append(store, CLUSTER_STREAM, clusterDecider.decide({ type: 'CreateCluster', data: { scope, clusterName: 'prod', tags: [], now } }, clusterDecider.initialState()));
      await append(store, DAEMON_STREAM, createdDaemonEvents());
      await append(store, Streams.daemonDeployment(DEPLOYMENT_ID), [deploymentCreated()]);
      await append(store, Streams.service(scope, 'prod', 'web'), [serviceCreated('web', 'mi', 1)]);
      await append(store, Streams.taskDefinitionFamily(scope, 'web-app'), [taskDefinitionRegistered()]);
    });
    const readModels = new ReadModels();
    events.forEach((e) => readModels.apply(e));

    expect(readModels.clusters.get(CLUSTER_STREAM)).toMatchObject({ status: 'ACTIVE', clusterName: 'prod' });
    expect(readModels.daemons.get(DAEMON_STREAM)).toMatchObject({ status: 'ACTIVE', daemonName: 'monitor' });
    expect(readModels.deployments.get(Streams.daemonDeployment(DEPLOYMENT_ID))).toMatchObject({ status: 'PENDING', deploymentId: DEPLOYMENT_ID });
    expect([...readModels.clusters.values()]).toHaveLength(1);
    expect([...readModels.daemons.values()]).toHaveLength(1);
    expect([...readModels.deployments.values()]).toHaveLength(1);
    expect(readModels.services.get(Streams.service(scope, 'prod', 'web'))).toMatchObject({ status: 'ACTIVE', serviceName: 'web' });
    expect(readModels.applicationTaskDefinitions.get(Streams.taskDefinitionFamily(scope, 'web-app'))?.revisions.get(1)).toMatchObject({ family: 'web-app' });
    expect([...readModels.capacityProviders.values()]).toHaveLength(0);
    // Application and daemon task definitions are separate categories (taskDefinition-, daemonTaskDefinition-).
    expect([...readModels.taskDefinitionFamilies.values()]).toHaveLength(0);
    expect([...readModels.applicationTaskDefinitions.values()]).toHaveLength(1);
  });
});

// Fixtures last, so the scenarios read first. Fixed ids and instants.

type Counted = Event<'Counted', Record<string, never>>;

const scope = { accountId: '123456789012', region: 'us-east-1' };
const ARN = 'arn:aws:ecs:us-east-1:123456789012';
const now = 1_742_040_000_000;
const DEPLOYMENT_ID = 'aB1cD2eF3gH4iJ5k';
const CLUSTER_STREAM = Streams.cluster(scope, 'prod');
const DAEMON_STREAM = Streams.daemon(scope, 'prod', 'monitor');

const counted = (): Counted => ({ type: 'Counted', data: {} });

const createDaemon: CreateDaemon = {
  type: 'CreateDaemon',
  data: {
    scope,
    clusterName: 'prod',
    daemonName: 'monitor',
    clusterExists: true,
    taskDefinition: { reference: 'agent:1', found: { daemonTaskDefinitionArn: `${ARN}:daemon-task-definition/agent:1`, status: 'ACTIVE', containerImages: [] } },
    capacityProviders: [
      {
        reference: 'mi',
        found: { capacityProviderArn: `${ARN}:capacity-provider/mi`, name: 'mi', type: 'MANAGED_INSTANCES', clusterName: 'prod', status: 'ACTIVE' },
      },
    ],
    settings: {
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
      propagateTags: 'NONE',
      enableECSManagedTags: false,
      enableExecuteCommand: false,
      critical: true,
    },
    tags: [],
    clientToken: null,
    requestFingerprint: 'fingerprint',
    revisionId: '4980306466373577095',
    deploymentId: DEPLOYMENT_ID,
    now,
  },
};

const createdDaemonEvents = () => daemonDecider.decide(createDaemon, daemonDecider.initialState());

function deploymentCreated() {
  const [event] = deploymentDecider.decide(
    {
      type: 'CreateDeployment',
      data: {
        deploymentId: DEPLOYMENT_ID,
        daemonDeploymentArn: `${ARN}:daemon-deployment/prod/monitor/${DEPLOYMENT_ID}`,
        daemonArn: `${ARN}:daemon/prod/monitor`,
        clusterArn: `${ARN}:cluster/prod`,
        targetRevision: null,
        sourceRevisionArns: [],
        deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
        createdAt: now,
      },
    },
    deploymentDecider.initialState(),
  );
  return event;
}

let eventNumber = 0;
function append(store: EventStore, streamId: string, events: readonly Event[]) {
  const stored: NewEvent[] = events.map((e) => ({ ...e, metadata: { eventId: `event-${++eventNumber}`, occurredAt: new Date(now).toISOString(), schemaVersion: 1 } }));
  return store.appendToStream(streamId, stored, { expectedVersion: 'any' });
}

/** Writes through a real in-memory store and answers the events as the store records them, in global order. */
async function recorded(write: (store: EventStore) => Promise<unknown>): Promise<RecordedEvent[]> {
  const store = createMemoryEventStore();
  await write(store);
  const events = await store.readAll();
  await store.close();
  return events;
}

const taskDefinitionRegistered = (): TaskDefinitionRegistered => ({
  type: 'TaskDefinitionRegistered',
  data: { taskDefinitionArn: `${ARN}:task-definition/web-app:1`, family: 'web-app', revision: 1, definition: {}, registeredAt: now },
});
