import { INSTANCE_ID_PATTERN, Streams, type InstanceProvisioningStarted, type PlannedDaemonTask } from '@daemonfleet/contracts';
import { eventually } from '@daemonfleet/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetAgentHarness, placeDaemon, scope } from '../testing/fleet-agent-harness.js';

describe('fleet agent: instances added through the emulator control', () => {
  let fleet: FleetAgentHarness;
  let agent: PlannedDaemonTask;
  let logs: PlannedDaemonTask;

  // Daemons written before the agent starts: it reads them when it rebuilds its placement view. A simulated minute
  // lasts 100 ms (TIME_SCALE 600): provisioning takes 100 ms, a daemon task 8 ms to start.
  beforeAll(async () => {
    fleet = await FleetAgentHarness.start({ TIME_SCALE: '600' }, async (store) => {
      agent = await placeDaemon(store, 'prod', 'agent', ['prod-mi']);
      logs = await placeDaemon(store, 'prod', 'logs', ['prod-mi'], { critical: false });
      await placeDaemon(store, 'prod', 'elsewhere', ['other-mi']);
    });
    await fleet.createProvider('prod', 'prod-mi');
  });
  afterAll(() => fleet?.close());

  it('go REGISTERING, then ACTIVE once the daemons placed on their provider run (spec 3.9)', async () => {
    const { result } = await fleet.send('fleet.command.AddInstances', { capacityProvider: 'prod-mi', count: 3 });
    expect(result.containerInstanceArns).toHaveLength(3);
    for (const arn of result.containerInstanceArns) expect(arn.split('/').at(-1)).toMatch(INSTANCE_ID_PATTERN);
    const added = await fleet.instances('prod-mi');
    expect(added.map((instance) => [instance.containerInstanceArn, instance.status, instance.reason])).toEqual(
      result.containerInstanceArns.map((arn) => [arn, 'REGISTERING', 'EMULATOR_REQUEST']),
    );
    expect(added[0].plannedDaemons).toEqual([agent, logs]);

    await eventually(
      async () => {
        const instances = await fleet.instances('prod-mi');
        expect(instances.map((instance) => instance.status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
        for (const instance of instances) {
          expect([...instance.daemonTasks.values()].map((task) => [task.daemon.daemonRevisionArn, task.status])).toEqual([
            [agent.daemonRevisionArn, 'RUNNING'],
            [logs.daemonRevisionArn, 'RUNNING'],
          ]);
        }
      },
      { what: 'the instances to be ACTIVE with their daemons running' },
    );
    const events = await fleet.events(Streams.capacityProvider(scope, 'prod-mi'));
    const ofFirst = events.filter((event) => (event.data as { instanceId?: string }).instanceId === added[0].instanceId).map((event) => event.type);
    expect(ofFirst).toEqual(['InstanceProvisioningStarted', 'InstanceRegistered', 'DaemonTaskLaunched', 'DaemonTaskLaunched', 'DaemonTaskStarted', 'DaemonTaskStarted', 'InstanceActivated']);
  });

  it('launch a daemon created while the agent runs, once the agent has read it', async () => {
    await fleet.createProvider('prod', 'late-mi');
    const late = await placeDaemon(fleet.store, 'prod', 'late', ['late-mi']);
    await eventually(
      async () => {
        const { result } = await fleet.send('fleet.command.AddInstances', { capacityProvider: 'late-mi', count: 1 });
        const provisioned = (await fleet.events(Streams.capacityProvider(scope, 'late-mi'))).find(
          (event) => event.type === 'InstanceProvisioningStarted' && (event.data as InstanceProvisioningStarted['data']).containerInstanceArn === result.containerInstanceArns[0],
        );
        expect((provisioned?.data as InstanceProvisioningStarted['data']).daemons).toEqual([late]);
      },
      { what: 'a new instance to plan the new daemon' },
    );
  });

  it('register after a restart when their registration fell due while the agent was down: due times are in the state', async () => {
    await fleet.createProvider('prod', 'restart-mi');
    const { result } = await fleet.send('fleet.command.AddInstances', { capacityProvider: 'restart-mi', count: 2 });
    fleet = await fleet.restart();
    await eventually(
      async () => {
        const instances = await fleet.instances('restart-mi');
        expect(instances.map((instance) => [instance.containerInstanceArn, instance.status])).toEqual(result.containerInstanceArns.map((arn) => [arn, 'ACTIVE']));
      },
      { what: 'the instances to register after the restart' },
    );
  });

  it('refuses a provider that does not exist, and a count out of range', async () => {
    await expect(fleet.send('fleet.command.AddInstances', { capacityProvider: 'nope', count: 1 })).rejects.toMatchObject({ code: 'CAPACITY_PROVIDER_NOT_FOUND' });
    await expect(fleet.send('fleet.command.AddInstances', { capacityProvider: 'prod-mi', count: 1001 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  });
});
