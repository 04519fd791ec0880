import type { EventStore, RecordedEvent } from '@daemonfleet/event-store';
import { eventually } from '@daemonfleet/testing';
import { expect, it } from 'vitest';
import { writeInterruptedCreateDaemon } from './crash-state.js';
import type { Json, JsonClient } from './http-client.js';

export interface SystemUnderTest {
  readonly client: JsonClient;
  /** The system's own event store (the same SQLite file or JetStream stream), read directly. */
  readonly store: EventStore;
}

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const arn = (resource: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:${resource}`;

export const managedInstancesProvider = (name: string, cluster: string) => ({
  name,
  cluster,
  managedInstancesProvider: {
    infrastructureRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsInfrastructureRole`,
    instanceLaunchTemplate: { ec2InstanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/ecsInstanceProfile` },
  },
});

export const agentDefinition = (family: string, image = 'public.ecr.aws/example/agent:1.0') => ({
  family,
  containerDefinitions: [{ name: 'agent', image, memory: 128 }],
  cpu: '256',
  memory: '512',
});

export async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let position = 1; ; ) {
    const batch = await store.readAll({ fromPosition: position, maxCount: 1000 });
    if (batch.length === 0) return events;
    events.push(...batch);
    position = batch.at(-1)!.globalPosition + 1;
  }
}

/**
 * The first flow through all four services (issue: foundation), driven over HTTP and checked through the API and
 * the event store. `system()` returns the running system; each test uses names of its own.
 */
export function firstFlowScenario(system: () => SystemUnderTest): void {
  let rejectionsPrepared = false;
  const prepareRejections = async (client: JsonClient) => {
    if (rejectionsPrepared) return;
    await prepareCluster(client, 'rejects');
    await prepareCluster(client, 'other');
    const existing = await client.post('/v1/daemons', { daemonName: 'existing', clusterArn: 'rejects', daemonTaskDefinitionArn: 'rejects-agent:1', capacityProviderArns: ['rejects-mi'] });
    expect(existing.status).toBe(201);
    await deploymentFinished(client, existing.body.deploymentArn);
    rejectionsPrepared = true;
  };

  it('creates a cluster and a Managed Instances provider, registers task definitions and rolls a daemon out on an empty provider', async () => {
    const { client, store } = system();
    const cluster = await client.post('/v1/clusters', { clusterName: 'flow' });
    expect(cluster.status).toBe(201);
    expect(cluster.body.cluster).toMatchObject({ clusterArn: arn('cluster/flow'), clusterName: 'flow', status: 'ACTIVE' });

    const provider = await client.post('/v1/capacity-providers', managedInstancesProvider('flow-mi', 'flow'));
    expect(provider.status).toBe(201);
    expect(provider.body.capacityProvider).toMatchObject({ capacityProviderArn: arn('capacity-provider/flow-mi'), type: 'MANAGED_INSTANCES', cluster: 'flow' });
    expect((await client.get('/v1/clusters/flow')).body.cluster.capacityProviders).toEqual(['flow-mi']);

    const first = await client.post('/v1/daemon-task-definitions', agentDefinition('flow-agent'));
    const second = await client.post('/v1/daemon-task-definitions', agentDefinition('flow-agent', 'public.ecr.aws/example/agent:2.0'));
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.daemonTaskDefinitionArn).toBe(arn('daemon-task-definition/flow-agent:2'));
    expect(second.body.daemonTaskDefinition).toMatchObject({ family: 'flow-agent', revision: 2, status: 'ACTIVE', registeredBy: `arn:aws:iam::${ACCOUNT}:user/daemonfleet` });
    expect((await client.get('/v1/daemon-task-definitions/flow-agent')).body.daemonTaskDefinition.revision).toBe(2);
    expect((await client.get('/v1/daemon-task-definitions/flow-agent:1')).body.daemonTaskDefinition.containerDefinitions[0]).toMatchObject({
      name: 'agent',
      essential: true,
      mountPoints: [],
    });
    const listed = await client.get('/v1/daemon-task-definitions?familyPrefix=flow-');
    expect(listed.body.daemonTaskDefinitions.map((d: Json) => d.arn)).toEqual([arn('daemon-task-definition/flow-agent:1'), arn('daemon-task-definition/flow-agent:2')]);

    const created = await client.post('/v1/daemons', {
      daemonName: 'flow-monitor',
      clusterArn: arn('cluster/flow'),
      daemonTaskDefinitionArn: 'flow-agent:1',
      capacityProviderArns: ['flow-mi'],
      deploymentConfiguration: { drainPercent: 10, bakeTimeInMinutes: 5 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ daemonArn: arn('daemon/flow/flow-monitor'), status: 'ACTIVE' });
    const deploymentArn: string = created.body.deploymentArn;
    expect(deploymentArn).toMatch(new RegExp(`^${arn('daemon-deployment/flow/flow-monitor/')}[A-Za-z0-9]{16}$`));
    const deploymentId = deploymentArn.split('/').at(-1)!;

    // Read your writes: the daemon and its deployment are visible at once.
    const described = await client.get('/v1/daemons/flow/flow-monitor');
    expect(described.status).toBe(200);
    expect(described.body.daemon).toMatchObject({ daemonArn: arn('daemon/flow/flow-monitor'), clusterArn: arn('cluster/flow'), status: 'ACTIVE', deploymentArn });
    expect((await client.get(`/v1/deployments/${deploymentId}`)).status).toBe(200);

    const finished = await deploymentFinished(client, deploymentArn);
    const zero = { arn: arn('capacity-provider/flow-mi'), runningInstanceCount: 0, withoutDaemonInstanceCount: 0, drainingInstanceCount: 0 };
    expect(finished).toMatchObject({
      daemonDeploymentArn: deploymentArn,
      statusReason: 'Deployment completed successfully.',
      targetDaemonRevision: { capacityProviders: [zero], totalRunningInstanceCount: 0, totalWithoutDaemonInstanceCount: 0, totalDrainingInstanceCount: 0 },
      sourceDaemonRevisions: [],
      circuitBreaker: { failureCount: 0, status: 'MONITORING_COMPLETE', threshold: 10 },
      alarms: { status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] },
      deploymentConfiguration: { drainPercent: 10, bakeTimeInMinutes: 5, alarms: { alarmNames: [], enable: false } },
    });
    expect(finished.startedAt).toBeGreaterThanOrEqual(finished.createdAt);
    expect(finished.finishedAt).toBeGreaterThanOrEqual(finished.startedAt);

    const deploymentEvents = await store.readStream(`daemonDeployment-${deploymentId}`);
    expect(deploymentEvents.map((e) => e.type)).toEqual(['DeploymentCreated', 'DeploymentStarted', 'DeploymentSucceeded']);
    expect(deploymentEvents[1].data).toMatchObject({ instancesInScope: 0, batchSize: 1, circuitBreakerThreshold: 10 });
    const daemonEvents = await store.readStream(`daemon-${ACCOUNT}.${REGION}.flow.flow-monitor`);
    expect(daemonEvents.map((e) => e.type)).toEqual(['DaemonCreated', 'DaemonRevisionCreated']);
    // Every event of the request carries its correlation id.
    expect(new Set([...daemonEvents, deploymentEvents[0]].map((e) => e.metadata.correlationId)).size).toBe(1);

    const daemons = await client.get(`/v1/daemons?clusterArn=flow`);
    expect(daemons.body.daemonSummariesList).toEqual([expect.objectContaining({ daemonArn: arn('daemon/flow/flow-monitor'), status: 'ACTIVE' })]);
    const deployments = await client.get('/v1/daemons/flow/flow-monitor/deployments');
    expect(deployments.body.daemonDeployments).toEqual([expect.objectContaining({ daemonDeploymentArn: deploymentArn, status: 'SUCCESSFUL' })]);
    expect((await client.get('/v1/daemons/flow/flow-monitor/deployments?status=IN_PROGRESS')).body.daemonDeployments).toEqual([]);

    // A revision no daemon uses is deleted at once; one in use waits in DELETE_IN_PROGRESS.
    const unused = await client.delete('/v1/daemon-task-definitions/flow-agent:2');
    expect(unused.status).toBe(200);
    expect(unused.body.daemonTaskDefinition.deleteRequestedAt).toBeGreaterThan(0);
    await eventually(async () => expect((await client.get('/v1/daemon-task-definitions/flow-agent:2')).body.daemonTaskDefinition.status).toBe('DELETED'));
    const used = await client.delete('/v1/daemon-task-definitions/flow-agent:1');
    expect(used.body.daemonTaskDefinition.status).toBe('DELETE_IN_PROGRESS');
    const refused = await client.delete('/v1/daemon-task-definitions/flow-agent:1');
    expect(refused).toMatchObject({ status: 400, body: { __type: 'ClientException' } });
  });

  it('answers a retried CreateDaemon with the same clientToken with the first response, and creates nothing', async () => {
    const { client, store } = system();
    await prepareCluster(client, 'retry');
    const request = { daemonName: 'retried', clusterArn: 'retry', daemonTaskDefinitionArn: 'retry-agent:1', capacityProviderArns: ['retry-mi'], clientToken: 'token-0001' };
    const first = await client.post('/v1/daemons', request);
    await deploymentFinished(client, first.body.deploymentArn);
    const head = await store.headPosition();
    const again = await client.post('/v1/daemons', request);
    expect(again.body).toEqual(first.body);
    expect(await store.headPosition()).toBe(head);
    const reused = await client.post('/v1/daemons', { ...request, critical: false });
    expect(reused).toMatchObject({ status: 400, body: { __type: 'InvalidParameterException', message: expect.stringContaining('clientToken') } });
  });

  it.each([
    ['an unknown field', { bogus: 1 }, 'InvalidParameterException', 'property bogus should not exist'],
    ['an out-of-range drainPercent', { deploymentConfiguration: { drainPercent: 100.5 } }, 'InvalidParameterException', 'deploymentConfiguration.drainPercent'],
    ['an unknown capacity provider', { capacityProviderArns: ['no-such-provider'] }, 'ClientException', 'no-such-provider'],
    ['a capacity provider of another cluster', { capacityProviderArns: ['other-mi'] }, 'InvalidParameterException', 'capacityProviderArns'],
    ['an unknown cluster', { clusterArn: 'no-such-cluster' }, 'ClusterNotFoundException', 'no-such-cluster'],
    ['an unknown task definition', { daemonTaskDefinitionArn: 'rejects-agent:9' }, 'ClientException', 'rejects-agent:9'],
    ['a duplicate daemon name', { daemonName: 'existing' }, 'InvalidParameterException', 'existing'],
  ])('refuses %s with 400 and leaves the event store unchanged', async (_what, change, errorName, mentioned) => {
    const { client, store } = system();
    await prepareRejections(client);
    const head = await store.headPosition();
    const request = { daemonName: 'rejected', clusterArn: 'rejects', daemonTaskDefinitionArn: 'rejects-agent:1', capacityProviderArns: ['rejects-mi'], ...change };
    const response = await client.post('/v1/daemons', request);
    expect(response.status).toBe(400);
    expect(response.body.__type).toBe(errorName);
    expect(response.body.message).toContain(mentioned);
    expect(await store.headPosition()).toBe(head);
  });

  it('carries the caller’s x-correlation-id onto the response and every event of the request', async () => {
    const { client, store } = system();
    const response = await client.post('/v1/clusters', { clusterName: 'correlated' }, { 'x-correlation-id': 'request-42' });
    expect(response.headers.get('x-correlation-id')).toBe('request-42');
    const [created] = await store.readStream(`cluster-${ACCOUNT}.${REGION}.correlated`);
    expect(created.metadata.correlationId).toBe('request-42');
  });

  it('serves the OpenAPI document', async () => {
    const { client } = system();
    const document = await client.get('/docs/openapi.json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/v1/daemons', '/v1/daemons/{cluster}/{daemon}', '/v1/deployments/{deploymentId}', '/health']));
  });

  it('answers /health with 200 when every dependency is ready', async () => {
    const { client } = system();
    const health = await client.get('/health');
    expect(health.status).toBe(200);
    expect(Object.keys(health.body.info)).toEqual(['eventStore', 'transport', 'readModels', 'deploymentOrchestrator', 'fleetAgent', 'alarmMonitor']);
  });
}

/** Waits until the deployment has succeeded: nothing more happens in the system after that. */
export function deploymentFinished(client: JsonClient, deploymentArn: string): Promise<Json> {
  return eventually(
    async () => {
      const { body } = await client.get(`/v1/deployments/${deploymentArn.split('/').at(-1)}`);
      expect(body.daemonDeployment.status).toBe('SUCCESSFUL');
      return body.daemonDeployment;
    },
    { what: `deployment ${deploymentArn} to succeed` },
  );
}

export async function prepareCluster(client: JsonClient, name: string): Promise<void> {
  await client.post('/v1/clusters', { clusterName: name });
  await client.post('/v1/capacity-providers', managedInstancesProvider(`${name}-mi`, name));
  await client.post('/v1/daemon-task-definitions', agentDefinition(`${name}-agent`));
}

/**
 * Nothing is lost when the orchestrator dies between CreateDaemon's two appends: the daemon's events are in the
 * store, its deployment's stream is not. The durable subscription opens the deployment and carries it out.
 */
export function interruptedCreateScenario(system: () => SystemUnderTest): void {
  it('opens and finishes the deployment of a daemon whose CreateDaemon was interrupted before the deployment was written', async () => {
    const { client, store } = system();
    await prepareCluster(client, 'interrupted');
    const { deploymentId } = await writeInterruptedCreateDaemon(store, { cluster: 'interrupted', daemonName: 'orphan', deploymentOpened: false });
    const finished = await deploymentFinished(client, `arn/${deploymentId}`);
    expect(finished.statusReason).toBe('Deployment completed successfully.');
    const events = await store.readStream(`daemonDeployment-${deploymentId}`);
    expect(events.map((e) => e.type)).toEqual(['DeploymentCreated', 'DeploymentStarted', 'DeploymentSucceeded']);
    expect(events.every((e) => e.metadata.correlationId === 'interrupted-request')).toBe(true);
    expect((await client.get('/v1/daemons/interrupted/orphan')).body.daemon.deploymentArn).toBe(finished.daemonDeploymentArn);
  });
}
