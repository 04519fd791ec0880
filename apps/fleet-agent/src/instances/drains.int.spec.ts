import { Streams, type PlannedDaemonTask } from '@daemonfleet/contracts';
import { eventually } from '@daemonfleet/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoTaskLost, FleetAgentHarness, placeDaemon, prefix, scope, tasksOf } from '../testing/fleet-agent-harness.js';

describe.each([
  ['scaled durations (a simulated minute lasts 100 ms)', { TIME_SCALE: '600' }],
  ['zero durations, as the benchmark runs', { SIM_INSTANCE_PROVISIONING_SECONDS: '0', SIM_DAEMON_TASK_START_SECONDS: '0', SIM_APP_TASK_START_SECONDS: '0' }],
])('fleet agent: a deployment drains and replaces instances, %s', (_durations, env) => {
  let fleet: FleetAgentHarness;
  let agentV1: PlannedDaemonTask;
  afterEach(() => fleet?.close());

  /** A service of four tasks, running on four instances with the daemon at its first revision. */
  async function runningService(): Promise<{ serviceArn: string; instanceIds: string[] }> {
    fleet = await FleetAgentHarness.start(env, async (store) => {
      agentV1 = await placeDaemon(store, 'prod', 'agent', ['prod-mi']);
    });
    await fleet.createProvider('prod', 'prod-mi');
    const serviceArn = await fleet.createService('prod', 'web', 'prod-mi', 4);
    const instances = await eventually(
      async () => {
        const instances = await fleet.instances('prod-mi');
        expect(tasksOf(instances, serviceArn).running).toHaveLength(4);
        return instances;
      },
      { what: 'four running tasks' },
    );
    return { serviceArn, instanceIds: instances.map((instance) => instance.instanceId) };
  }

  it('replaces every instance with one running the target revision, and loses no application task', async () => {
    const { serviceArn, instanceIds } = await runningService();
    const drained = await fleet.send('fleet.command.StartInstanceDrains', drain(instanceIds, { fence: 2 }));
    expect(drained.result.draining).toEqual(instanceIds);
    expect(drained.position).toBeGreaterThan(0);
    // Sent again (a lost reply, a resync): no instance is drained twice.
    await fleet.send('fleet.command.StartInstanceDrains', drain(instanceIds, { fence: 2 }));

    await eventually(
      async () => {
        const instances = await fleet.instances('prod-mi');
        expect(instances.map((instance) => instanceIds.includes(instance.instanceId))).toEqual([false, false, false, false]);
        expect(instances.map((instance) => [instance.status, instance.reason, instance.replacesInstanceId !== null])).toEqual(Array(4).fill(['ACTIVE', 'REPLACEMENT', true]));
        for (const instance of instances) expect([...instance.daemonTasks.values()].map((task) => [task.daemon, task.status])).toEqual([[agentV2, 'RUNNING']]);
        expect(tasksOf(instances, serviceArn).running).toHaveLength(4);
      },
      { what: 'every instance replaced' },
    );
    const events = await fleet.events(Streams.capacityProvider(scope, 'prod-mi'));
    expect(events.filter((event) => event.type === 'InstanceDrainStarted')).toHaveLength(4);
    expectNoTaskLost(events, serviceArn, 4);
  });

  it('refuses a drain carrying an older fence than one already acted on', async () => {
    const { instanceIds } = await runningService();
    await fleet.send('fleet.command.StartInstanceDrains', drain(instanceIds.slice(0, 1), { fence: 5 }));
    await expect(fleet.send('fleet.command.StartInstanceDrains', drain(instanceIds.slice(1, 2), { fence: 4 }))).rejects.toMatchObject({ code: 'STALE_FENCING_TOKEN' });
    await expect(fleet.send('fleet.command.AdoptDaemonTasks', { ...adoption(instanceIds), fence: 4 })).rejects.toMatchObject({ code: 'STALE_FENCING_TOKEN' });
  });

  it('relabels daemon tasks a deployment adopts, once', async () => {
    const { instanceIds } = await runningService();
    const adopted = await fleet.send('fleet.command.AdoptDaemonTasks', adoption(instanceIds));
    expect(adopted.result.adopted).toEqual(instanceIds);
    const again = await fleet.send('fleet.command.AdoptDaemonTasks', adoption(instanceIds));
    expect(again).toEqual(adopted);
    for (const instance of await fleet.instances('prod-mi')) expect(instance.daemonTasks.get(agentV1.daemonArn)?.daemon.daemonRevisionArn).toBe(agentV2.daemonRevisionArn);
  });

  function drain(instanceIds: string[], { fence }: { fence: number }) {
    return {
      deploymentId: 'aB1cD2eF3gH4iJ5k',
      fence,
      capacityProviderArn: `${prefix}:capacity-provider/prod-mi`,
      daemonArn: agentV1.daemonArn,
      instanceIds,
      replacementDaemon: agentV2,
    };
  }

  function adoption(instanceIds: string[]) {
    const { replacementDaemon: _none, ...fenced } = drain(instanceIds, { fence: 3 });
    return { ...fenced, toRevisionArn: agentV2.daemonRevisionArn };
  }
});

const agentV2: PlannedDaemonTask = {
  daemonArn: `${prefix}:daemon/prod/agent`,
  daemonRevisionArn: `${prefix}:daemon-revision/prod/agent/2000000000000000002`,
  daemonTaskDefinitionArn: `${prefix}:daemon-task-definition/agent:2`,
  critical: true,
};
