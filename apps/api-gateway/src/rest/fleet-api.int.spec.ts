import { Streams } from '@daemonfleet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeInstance,
  appTaskArn,
  ARN,
  CLUSTER_ARN,
  daemonTask,
  daemonTaskArn,
  instanceArn,
  instanceId,
  providerCreated,
  provisioned,
  SCOPE,
  serviceArn,
  serviceCreated,
  T0,
} from '../testing/fleet.fixtures.js';
import { startGateway, type GatewayHarness } from '../testing/gateway.harness.js';

/**
 * The gateway's fleet API over HTTP, with fakes for the fleet agent: each command reaches the fake with what the
 * request said, and each query answers from the events the fakes (and the fixtures) appended.
 */
describe('REST API of the simulated fleet (gateway alone)', () => {
  let gateway: GatewayHarness;
  beforeAll(async () => {
    gateway = await startGateway();
    await gateway.append(Streams.cluster(SCOPE, 'prod'), [{ type: 'ClusterCreated', data: { clusterArn: CLUSTER_ARN, clusterName: 'prod', tags: [], createdAt: T0 } }]);
    await gateway.append(MI_A, [
      providerCreated('mi-a'),
      ...activeInstance(1, 'mi-a', { daemons: [monitor], services: ['web'] }),
      ...activeInstance(2, 'mi-a', { daemons: [monitor], services: ['web'], at: T0 + 1_000 }),
      provisioned(3, 'mi-a', { daemons: [monitor], at: T0 + 2_000 }),
    ]);
    await gateway.append(Streams.service(SCOPE, 'prod', 'web'), [serviceCreated('web', 'mi-a', 3)]);
  });
  afterAll(() => gateway.close());

  describe('container instances', () => {
    it('lists the cluster’s instances oldest first, by status, a page at a time', async () => {
      expect((await gateway.request('GET', '/v1/clusters/prod/container-instances')).body).toEqual({ containerInstanceArns: [instanceArn(1), instanceArn(2), instanceArn(3)] });
      expect((await gateway.request('GET', '/v1/clusters/prod/container-instances?status=REGISTERING')).body).toEqual({ containerInstanceArns: [instanceArn(3)] });

      const first = await gateway.request('GET', '/v1/clusters/prod/container-instances?maxResults=2');
      expect(first.body.containerInstanceArns).toEqual([instanceArn(1), instanceArn(2)]);
      const second = await gateway.request('GET', `/v1/clusters/prod/container-instances?maxResults=2&nextToken=${first.body.nextToken}`);
      expect(second.body).toEqual({ containerInstanceArns: [instanceArn(3)] });
    });

    it('describes an instance by its id (its EC2 instance id) or its ARN', async () => {
      const byId = await gateway.request('GET', `/v1/clusters/prod/container-instances/${instanceId(1)}`);
      expect(byId.status).toBe(200);
      expect(byId.body.containerInstance).toMatchObject({ containerInstanceArn: instanceArn(1), ec2InstanceId: instanceId(1), status: 'ACTIVE', runningTasksCount: 2 });
      expect((await gateway.request('GET', `/v1/clusters/prod/container-instances/${encodeURIComponent(instanceArn(3))}`)).body.containerInstance).toMatchObject({
        status: 'REGISTERING',
        healthStatus: { overallStatus: 'INITIALIZING' },
      });
    });

    it.each([
      ['an unknown instance', `/v1/clusters/prod/container-instances/${instanceId(9)}`, 404, 'ClientException'],
      ['an unknown cluster', '/v1/clusters/nowhere/container-instances', 404, 'ClusterNotFoundException'],
      ['an unknown status', '/v1/clusters/prod/container-instances?status=SLEEPING', 400, 'InvalidParameterException'],
      ['a forged nextToken', '/v1/clusters/prod/container-instances?nextToken=eyJrIjoiMCJ9.forged', 400, 'InvalidParameterException'],
    ])('answers %s', async (_what, path, status, __type) => {
      expect(await gateway.request('GET', path)).toEqual({ status, body: { __type, message: expect.any(String) } });
    });
  });

  describe('tasks', () => {
    it.each([
      ['every task of the cluster', '', [daemonTaskArn(1, 0), appTaskArn(1, 0), daemonTaskArn(2, 0), appTaskArn(2, 0)]],
      ['a daemon’s tasks (spec 2.13)', '?daemonName=monitor', [daemonTaskArn(1, 0), daemonTaskArn(2, 0)]],
      ['a service’s tasks', '?serviceName=web', [appTaskArn(1, 0), appTaskArn(2, 0)]],
      ['one instance’s tasks', `?containerInstance=${instanceId(2)}`, [daemonTaskArn(2, 0), appTaskArn(2, 0)]],
      ['the tasks of an instance that does not exist', `?containerInstance=${instanceId(9)}`, []],
      ['stopped tasks, which are not kept', '?desiredStatus=STOPPED', []],
    ])('lists %s', async (_what, query, expected) => {
      const { status, body } = await gateway.request('GET', `/v1/clusters/prod/tasks${query}`);
      expect(status).toBe(200);
      expect([...body.taskArns].sort()).toEqual([...expected].sort());
    });

    it('describes a daemon task and the application task of its instance, the daemon’s started first', async () => {
      const daemon = (await gateway.request('GET', `/v1/clusters/prod/tasks/${idOf(daemonTaskArn(1, 0))}`)).body.task;
      const app = (await gateway.request('GET', `/v1/clusters/prod/tasks/${encodeURIComponent(appTaskArn(1, 0))}`)).body.task;
      expect(daemon).toMatchObject({ startedBy: 'daemon/monitor', lastStatus: 'RUNNING', containerInstanceArn: instanceArn(1) });
      expect(app).toMatchObject({ startedBy: 'ecs-svc/web', group: 'service:web', containerInstanceArn: instanceArn(1) });
      expect(daemon.startedAt).toBeLessThan(app.startedAt);
    });

    it.each([
      ['an unknown task', '/v1/clusters/prod/tasks/nothing', 404, 'ClientException'],
      ['a malformed daemonName', '/v1/clusters/prod/tasks?daemonName=bad%20name', 400, 'InvalidParameterException'],
      ['an unknown filter', '/v1/clusters/prod/tasks?family=web', 400, 'InvalidParameterException'],
    ])('answers %s', async (_what, path, status, __type) => {
      expect(await gateway.request('GET', path)).toEqual({ status, body: { __type, message: expect.any(String) } });
    });
  });

  describe('adding instances to a provider', () => {
    it('sends AddInstances with the provider named in the path and answers 201 with the fleet agent’s instances', async () => {
      gateway.answer('fleet.command.AddInstances', () => ({ containerInstanceArns: [instanceArn(7), instanceArn(8)] }));

      const response = await gateway.request('POST', '/v1/capacity-providers/mi-a/instances', { count: 2 });

      expect(response).toEqual({ status: 201, body: { containerInstanceArns: [instanceArn(7), instanceArn(8)] } });
      expect(gateway.sent.at(-1)).toMatchObject({ subject: 'fleet.command.AddInstances', data: { capacityProvider: 'mi-a', count: 2 } });
    });

    it('answers a provider the fleet agent does not know with 404', async () => {
      gateway.refuse('fleet.command.AddInstances', { code: 'CAPACITY_PROVIDER_NOT_FOUND', message: 'The specified capacity provider does not exist: nope' });
      expect(await gateway.request('POST', '/v1/capacity-providers/nope/instances', { count: 1 })).toEqual({
        status: 404,
        body: { __type: 'ClientException', message: 'The specified capacity provider does not exist: nope' },
      });
    });

    it.each([
      ['no count', {}],
      ['a count of 0', { count: 0 }],
      ['an unknown field', { count: 1, capacityProvider: 'mi-b' }],
    ])('refuses %s without sending anything', async (_what, body) => {
      const before = gateway.sent.length;
      expect((await gateway.request('POST', '/v1/capacity-providers/mi-a/instances', body)).body.__type).toBe('InvalidParameterException');
      expect(gateway.sent).toHaveLength(before);
    });
  });

  describe('application task definitions', () => {
    it('registers one and describes it by family, family:revision and ARN', async () => {
      const arn = `${ARN}:task-definition/web-app:1`;
      gateway.answer('fleet.command.RegisterTaskDefinition', async (data) => {
        await gateway.append(Streams.taskDefinitionFamily(SCOPE, 'web-app'), [
          { type: 'TaskDefinitionRegistered', data: { taskDefinitionArn: arn, family: 'web-app', revision: 1, definition: data, registeredAt: T0 } },
        ]);
        return { taskDefinitionArn: arn };
      });

      const registered = await gateway.request('POST', '/v1/task-definitions', { family: 'web-app', containerDefinitions: [{ name: 'web', image: 'web:1.0', memory: 256 }] });

      expect(registered.status).toBe(201);
      expect(registered.body).toMatchObject({ taskDefinitionArn: arn, taskDefinition: { family: 'web-app', revision: 1, status: 'ACTIVE', containerDefinitions: [{ name: 'web' }] } });
      for (const reference of ['web-app', 'web-app:1', encodeURIComponent(arn)])
        expect((await gateway.request('GET', `/v1/task-definitions/${reference}`)).body.taskDefinition.taskDefinitionArn).toBe(arn);
      expect((await gateway.request('GET', '/v1/task-definitions/web-app:2')).status).toBe(404);
      expect((await gateway.request('GET', '/v1/task-definitions/web-app:x')).body.__type).toBe('InvalidParameterException');
    });
  });

  describe('services', () => {
    it('creates a service and answers it as the read models have it', async () => {
      gateway.answer('fleet.command.CreateService', async (data) => {
        await gateway.append(Streams.service(SCOPE, 'prod', String(data.serviceName)), [serviceCreated(String(data.serviceName), 'mi-a', Number(data.desiredCount))]);
        return { serviceArn: serviceArn(String(data.serviceName)) };
      });
      const created = await gateway.request('POST', '/v1/services', {
        serviceName: 'api',
        cluster: 'prod',
        taskDefinition: 'web-app:1',
        desiredCount: 2,
        capacityProviderStrategy: [{ capacityProvider: 'mi-a', weight: 1 }],
      });
      expect(created.status).toBe(201);
      expect(created.body.service).toMatchObject({ serviceName: 'api', status: 'ACTIVE', desiredCount: 2, runningCount: 0, pendingCount: 0 });
    });

    it('describes a service with its running and pending tasks', async () => {
      expect((await gateway.request('GET', '/v1/services/prod/web')).body.service).toMatchObject({
        serviceArn: serviceArn('web'),
        status: 'ACTIVE',
        desiredCount: 3,
        runningCount: 2,
        pendingCount: 0,
        capacityProviderStrategy: [{ capacityProvider: 'mi-a', weight: 1, base: 0 }],
      });
    });

    it('updates the desired count of the service named in the path', async () => {
      gateway.answer('fleet.command.UpdateService', async (data) => {
        await gateway.append(Streams.service(SCOPE, 'prod', 'web'), [{ type: 'ServiceDesiredCountSet', data: { desiredCount: Number(data.desiredCount), updatedAt: T0 + 1 } }]);
        return { serviceArn: serviceArn('web') };
      });
      const updated = await gateway.request('PATCH', '/v1/services/prod/web', { desiredCount: 5 });
      expect(updated.status).toBe(200);
      expect(updated.body.service).toMatchObject({ desiredCount: 5 });
      expect(gateway.sent.at(-1)?.data).toEqual({ cluster: 'prod', service: 'web', desiredCount: 5 });
    });

    it('deletes a service: DRAINING, and no longer listed once INACTIVE', async () => {
      gateway.answer('fleet.command.DeleteService', async () => {
        await gateway.append(Streams.service(SCOPE, 'prod', 'api'), [{ type: 'ServiceDeletionStarted', data: { startedAt: T0 + 2 } }]);
        return { serviceArn: serviceArn('api') };
      });
      const deleted = await gateway.request('DELETE', '/v1/services/prod/api');
      expect(deleted.body.service).toMatchObject({ serviceName: 'api', status: 'DRAINING', desiredCount: 0 });
      expect((await gateway.request('GET', '/v1/clusters/prod/services')).body.serviceArns).toEqual([serviceArn('api'), serviceArn('web')]);

      await gateway.append(Streams.service(SCOPE, 'prod', 'api'), [{ type: 'ServiceDeleted', data: { deletedAt: T0 + 3 } }]);
      expect((await gateway.request('GET', '/v1/clusters/prod/services')).body).toEqual({ serviceArns: [serviceArn('web')] });
      expect((await gateway.request('GET', '/v1/services/prod/api')).body.service.status).toBe('INACTIVE');
    });

    it.each<[string, string, string, unknown, number, string]>([
      ['an unknown service described', 'GET', '/v1/services/prod/nope', undefined, 404, 'ServiceNotFoundException'],
      ['a negative desired count', 'PATCH', '/v1/services/prod/web', { desiredCount: -1 }, 400, 'InvalidParameterException'],
      ['services of an unknown cluster', 'GET', '/v1/clusters/nowhere/services', undefined, 404, 'ClusterNotFoundException'],
      ['a service of an unknown cluster', 'GET', '/v1/services/nowhere/web', undefined, 404, 'ClusterNotFoundException'],
    ])('answers %s', async (_what, method, path, body, status, __type) => {
      expect(await gateway.request(method, path, body)).toEqual({ status, body: { __type, message: expect.any(String) } });
    });

    it('answers an update of a service the fleet agent does not know with 404, and one it refuses with 400', async () => {
      gateway.refuse('fleet.command.UpdateService', { code: 'SERVICE_NOT_FOUND', message: 'Service not found: nope' });
      expect(await gateway.request('PATCH', '/v1/services/prod/nope', { desiredCount: 1 })).toEqual({
        status: 404,
        body: { __type: 'ServiceNotFoundException', message: 'Service not found: nope' },
      });
      gateway.refuse('fleet.command.UpdateService', { code: 'SERVICE_NOT_ACTIVE', message: 'the service is DRAINING' });
      expect(await gateway.request('PATCH', '/v1/services/prod/api', { desiredCount: 1 })).toEqual({
        status: 400,
        body: { __type: 'ServiceNotActiveException', message: 'the service is DRAINING' },
      });
    });
  });
});

// Fixtures last.

const MI_A = Streams.capacityProvider(SCOPE, 'mi-a');
const monitor = daemonTask('monitor', '1');
const idOf = (arn: string) => arn.split('/').at(-1)!;
