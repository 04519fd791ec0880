import { Streams, type AppTaskStopped } from '@daemonfleet/contracts';
import { eventually } from '@daemonfleet/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetAgentHarness, placeDaemon, prefix, scope, tasksOf } from '../testing/fleet-agent-harness.js';

describe('fleet agent: services and their tasks', () => {
  let fleet: FleetAgentHarness;

  // A simulated minute lasts 100 ms (TIME_SCALE 600): provisioning 100 ms, daemon start 8 ms, task start 17 ms.
  beforeAll(async () => {
    fleet = await FleetAgentHarness.start({ TIME_SCALE: '600' }, (store) => placeDaemon(store, 'prod', 'agent', ['prod-mi']));
    await fleet.createProvider('prod', 'prod-mi');
  });
  afterAll(() => fleet?.close());

  it('registers application task definitions revision after revision', async () => {
    const definition = { family: 'api', containerDefinitions: [{ name: 'api', image: 'api:1' }] };
    expect((await fleet.send('fleet.command.RegisterTaskDefinition', definition)).result).toEqual({ taskDefinitionArn: `${prefix}:task-definition/api:1` });
    expect((await fleet.send('fleet.command.RegisterTaskDefinition', definition)).result).toEqual({ taskDefinitionArn: `${prefix}:task-definition/api:2` });
  });

  it('brings a service of N tasks on an empty provider up on N new instances: daemons first, then the tasks RUNNING', async () => {
    const serviceArn = await fleet.createService('prod', 'web', 'prod-mi', 3);
    expect(serviceArn).toBe(`${prefix}:service/prod/web`);
    const instances = await eventually(
      async () => {
        const instances = await fleet.instances('prod-mi');
        expect(tasksOf(instances, serviceArn).running).toHaveLength(3);
        return instances;
      },
      { what: 'three running tasks' },
    );
    expect(instances.map((instance) => [instance.status, instance.reason, instance.appTasks.size])).toEqual(Array(3).fill(['ACTIVE', 'SERVICE_SCALE_OUT', 1]));
    // Spec 3.9, instance by instance: the daemon task runs before the instance is ACTIVE, and the task starts after.
    const events = await fleet.events(Streams.capacityProvider(scope, 'prod-mi'));
    for (const instance of instances) {
      const order = events.filter((event) => (event.data as { instanceId?: string }).instanceId === instance.instanceId).map((event) => event.type);
      expect(order).toEqual([
        'InstanceProvisioningStarted',
        'AppTaskPlaced',
        'InstanceRegistered',
        'DaemonTaskLaunched',
        'DaemonTaskStarted',
        'InstanceActivated',
        'AppTaskStarting',
        'AppTaskStarted',
      ]);
    }
  });

  it('scales in to the new desired count, and deletes the service once its tasks are gone', async () => {
    const serviceArn = `${prefix}:service/prod/web`;
    await fleet.send('fleet.command.UpdateService', { cluster: 'prod', service: 'web', desiredCount: 1 });
    await eventually(async () => expect(tasksOf(await fleet.instances('prod-mi'), serviceArn).all).toHaveLength(1), { what: 'one task left' });

    await fleet.send('fleet.command.DeleteService', { cluster: 'prod', service: serviceArn });
    await eventually(
      async () => expect((await fleet.events(Streams.service(scope, 'prod', 'web'))).map((event) => event.type).at(-1)).toBe('ServiceDeleted'),
      { what: 'the service to be deleted' },
    );
    expect(tasksOf(await fleet.instances('prod-mi'), serviceArn).all).toEqual([]);
    const stops = (await fleet.events(Streams.capacityProvider(scope, 'prod-mi'))).filter((event) => event.type === 'AppTaskStopped');
    expect(stops.map((event) => (event.data as AppTaskStopped['data']).reason)).toEqual(['SERVICE_SCALED_IN', 'SERVICE_SCALED_IN', 'SERVICE_DELETED']);
  });

  it('refuses what ECS refuses', async () => {
    await fleet.createService('prod', 'taken', 'prod-mi', 0);
    const service = { serviceName: 'taken', cluster: 'prod', taskDefinition: 'taken-td', desiredCount: 1, capacityProviderStrategy: [{ capacityProvider: 'prod-mi', weight: 1 }] };
    await expect(fleet.send('fleet.command.CreateService', service)).rejects.toMatchObject({ code: 'SERVICE_NAME_IN_USE' });
    await expect(fleet.send('fleet.command.CreateService', { ...service, serviceName: 'other', taskDefinition: 'missing:1' })).rejects.toMatchObject({ code: 'TASK_DEFINITION_NOT_FOUND' });
    await expect(fleet.send('fleet.command.CreateService', { ...service, serviceName: 'other', capacityProviderStrategy: [{ capacityProvider: 'nope', weight: 1 }] })).rejects.toMatchObject({
      code: 'CAPACITY_PROVIDER_NOT_FOUND',
    });
    await expect(fleet.send('fleet.command.CreateService', { ...service, serviceName: 'other', cluster: 'nowhere' })).rejects.toMatchObject({ code: 'CLUSTER_NOT_FOUND' });
    await expect(fleet.send('fleet.command.UpdateService', { cluster: 'prod', service: 'ghost', desiredCount: 1 })).rejects.toMatchObject({ code: 'SERVICE_NOT_FOUND' });
  });
});
