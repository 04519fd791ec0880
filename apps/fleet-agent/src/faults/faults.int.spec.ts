import {
  FAULT_ID_PATTERN,
  Streams,
  type DaemonTaskFailedToStart,
  type DaemonTaskLaunched,
  type InstanceProvisioningFailed,
  type PlannedDaemonTask,
} from '@daemonfleet/contracts';
import { daemonRevisionCounts } from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { eventually } from '@daemonfleet/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  expectNoTaskLost,
  FleetAgentHarness,
  placeDaemon,
  prefix,
  registerDaemonTaskDefinition,
  restoreDaemonRevision,
  reviseDaemon,
  scope,
  tasksOf,
} from '../testing/fleet-agent-harness.js';

/**
 * Fault injection through the fleet agent's commands, on a real store and the in-process transport. A simulated
 * minute lasts 100 ms (TIME_SCALE 600): provisioning takes 100 ms, a daemon task 8 ms to start, and a failed
 * attempt n is retried 17 ms × 2^(n−1) later (10 simulated seconds doubled each time), at most 500 ms.
 */
describe('fleet agent: fault injection', () => {
  let fleet: FleetAgentHarness;
  afterEach(() => fleet?.close());

  it('fails every start of a rule’s image at rate 1, retried on the same instance with growing backoff, until the rule is removed', async () => {
    let agent!: PlannedDaemonTask;
    fleet = await FleetAgentHarness.start(env, async (store) => {
      agent = await placeDaemon(store, 'prod', 'agent', ['prod-mi'], { image: BROKEN });
    });
    await fleet.createProvider('prod', 'prod-mi');
    const { result } = await fleet.send('fleet.command.AddFaultRule', { image: BROKEN, daemonTaskStartFailureRate: 1 });
    expect(result.faultId).toMatch(FAULT_ID_PATTERN);
    await fleet.send('fleet.command.AddInstances', { capacityProvider: 'prod-mi', count: 2 });

    const failures = await eventually(
      async () => {
        const byInstance = groupByInstance(failed(await fleet.events(stream)));
        expect([...byInstance.values()].map((list) => list.length >= 4)).toEqual([true, true]);
        return byInstance;
      },
      { what: 'four failed starts on each instance' },
    );
    for (const list of failures.values()) {
      const first = list.slice(0, 4);
      expect(first.map((f) => [f.attempt, f.retryAt - f.failedAt, f.failureType, f.daemon])).toEqual([
        [1, 17, 'TASK_FAILED_TO_RUN', agent],
        [2, 34, 'TASK_FAILED_TO_RUN', agent],
        [3, 68, 'TASK_FAILED_TO_RUN', agent],
        [4, 136, 'TASK_FAILED_TO_RUN', agent],
      ]);
      expect(new Set(first.map((f) => f.taskArn)).size, 'each attempt is a new task').toBe(4);
      expect(first[0].reason).toContain(BROKEN);
    }
    expectRetriesWhenDue(await fleet.events(stream));
    // A critical daemon: the instances stay out of service (spec 3.8).
    expect((await fleet.instances('prod-mi')).map((instance) => instance.status)).toEqual(['REGISTERING', 'REGISTERING']);

    await fleet.send('fleet.command.RemoveFaultRule', { faultId: result.faultId });
    await eventually(
      async () => {
        const instances = await fleet.instances('prod-mi');
        expect(instances.map((instance) => [instance.status, instance.daemonTasks.get(agent.daemonArn)?.status])).toEqual([
          ['ACTIVE', 'RUNNING'],
          ['ACTIVE', 'RUNNING'],
        ]);
      },
      { what: 'the retries to succeed once the rule is gone' },
    );
  });

  it('never fails a start or a provisioning at rate 0', async () => {
    fleet = await FleetAgentHarness.start(env, (store) => placeDaemon(store, 'prod', 'agent', ['prod-mi'], { image: BROKEN }));
    await fleet.createProvider('prod', 'prod-mi');
    await fleet.send('fleet.command.AddFaultRule', { image: BROKEN, daemonTaskStartFailureRate: 0, instanceProvisioningFailureRate: 0 });
    await fleet.send('fleet.command.AddInstances', { capacityProvider: 'prod-mi', count: 3 });
    await eventually(async () => expect((await fleet.instances('prod-mi')).map((instance) => instance.status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']), {
      what: 'three active instances',
    });
    const types = (await fleet.events(stream)).map((event) => event.type);
    expect(types.filter((type) => type === 'DaemonTaskFailedToStart' || type === 'InstanceProvisioningFailed')).toEqual([]);
  });

  it('leaves a drained instance its tasks while its replacement’s critical daemon cannot start, and moves them once it can', async () => {
    const { agentV1, agentV2, drained, serviceArn, faultId } = await replacementsStuckOnV2();
    const instances = await fleet.instances('prod-mi');
    const replacements = instances.filter((instance) => instance.replacesInstanceId !== null);
    expect(replacements.map((instance) => [instance.status, instance.appTasks.size])).toEqual([
      ['REGISTERING', 0],
      ['REGISTERING', 0],
    ]);
    expect(instances.filter((instance) => drained.includes(instance.instanceId)).map((instance) => [...instance.appTasks.values()].map((task) => task.status))).toEqual([
      ['RUNNING'],
      ['RUNNING'],
    ]);
    // v2 is the daemon's current revision: every retry launched it again.
    expect(relaunchedRevisions(await fleet.events(stream), replacements.map((instance) => instance.instanceId))).toEqual(new Set([agentV2.daemonRevisionArn]));

    await fleet.send('fleet.command.RemoveFaultRule', { faultId });
    await eventually(
      async () => {
        const after = await fleet.instances('prod-mi');
        expect(after.map((instance) => [drained.includes(instance.instanceId), instance.status, instance.daemonTasks.get(agentV1.daemonArn)?.daemon])).toEqual([
          [false, 'ACTIVE', agentV2],
          [false, 'ACTIVE', agentV2],
        ]);
        expect(tasksOf(after, serviceArn).running).toHaveLength(2);
      },
      { what: 'the replacements to take over once the rule is gone' },
    );
    expectNoTaskLost(await fleet.events(stream), serviceArn, 2);
  });

  it('retries a replacement’s critical daemon with the revision a rollback restored, and moves the drained instance’s tasks to it (spec 3.9.4)', async () => {
    const { agentV1, agentV2, drained, serviceArn } = await replacementsStuckOnV2();
    const replacementIds = (await fleet.instances('prod-mi')).filter((instance) => instance.replacesInstanceId !== null).map((instance) => instance.instanceId);

    // The rule stays: v2 still cannot start. The rollback restores v1 on the daemon, and the retries launch it.
    await restoreDaemonRevision(fleet.store, agentV1, 'aB1cD2eF3gH4iJ5k');
    await eventually(
      async () => {
        const after = await fleet.instances('prod-mi');
        expect(after.map((instance) => [instance.instanceId, instance.status, instance.daemonTasks.get(agentV1.daemonArn)?.daemon, instance.daemonTasks.get(agentV1.daemonArn)?.status])).toEqual(
          replacementIds.map((id) => [id, 'ACTIVE', agentV1, 'RUNNING']),
        );
        expect(tasksOf(after, serviceArn).running).toHaveLength(2);
      },
      { what: 'the replacements to come up on the restored revision' },
    );
    const events = await fleet.events(stream);
    expect(relaunchedRevisions(events, replacementIds)).toEqual(new Set([agentV2.daemonRevisionArn, agentV1.daemonRevisionArn]));
    expect(new Set(failed(events).map((failure) => failure.daemon.daemonRevisionArn))).toEqual(new Set([agentV2.daemonRevisionArn]));
    expect(drained.every((id) => events.some((event) => event.type === 'InstanceDeregistered' && (event.data as { instanceId: string }).instanceId === id))).toBe(true);
    expectNoTaskLost(events, serviceArn, 2);
  });

  /**
   * A service of 2 tasks on instances running the daemon's v1; UpdateDaemon makes v2 (an image a fault rule breaks)
   * its current revision, and a deployment drains both instances, their replacements launching v2: each fails at
   * least three times.
   */
  async function replacementsStuckOnV2(): Promise<{ agentV1: PlannedDaemonTask; agentV2: PlannedDaemonTask; drained: string[]; serviceArn: string; faultId: string }> {
    let agentV1!: PlannedDaemonTask;
    fleet = await FleetAgentHarness.start(env, async (store) => {
      agentV1 = await placeDaemon(store, 'prod', 'agent', ['prod-mi'], { image: HEALTHY });
    });
    await fleet.createProvider('prod', 'prod-mi');
    const serviceArn = await fleet.createService('prod', 'web', 'prod-mi', 2);
    const drained = await eventually(
      async () => {
        const instances = await fleet.instances('prod-mi');
        expect(tasksOf(instances, serviceArn).running).toHaveLength(2);
        return instances.map((instance) => instance.instanceId);
      },
      { what: 'two running tasks' },
    );
    const agentV2: PlannedDaemonTask = {
      ...agentV1,
      daemonRevisionArn: `${prefix}:daemon-revision/prod/agent/2000000000000000002`,
      daemonTaskDefinitionArn: await registerDaemonTaskDefinition(fleet.store, 'agent', 2, BROKEN),
    };
    await reviseDaemon(fleet.store, agentV2, ['prod-mi']);
    await eventually(async () => expect(fleet.daemonPlacements()).toEqual([expect.objectContaining(agentV2)]), { what: 'the agent to learn v2' });
    const { result } = await fleet.send('fleet.command.AddFaultRule', { image: BROKEN, daemonTaskStartFailureRate: 1 });
    await fleet.send('fleet.command.StartInstanceDrains', {
      deploymentId: 'aB1cD2eF3gH4iJ5k',
      fence: 2,
      capacityProviderArn: `${prefix}:capacity-provider/prod-mi`,
      daemonArn: agentV1.daemonArn,
      instanceIds: drained,
      replacementDaemon: agentV2,
    });
    await eventually(
      async () => {
        const byInstance = groupByInstance(failed(await fleet.events(stream)));
        expect([...byInstance.values()].map((list) => list.length >= 3)).toEqual([true, true]);
      },
      { what: 'three failed starts on each replacement' },
    );
    return { agentV1, agentV2, drained, serviceArn, faultId: result.faultId };
  }

  it('activates an instance whose non-critical daemon fails, runs its application tasks, and counts it without daemon', async () => {
    let logs!: PlannedDaemonTask;
    fleet = await FleetAgentHarness.start(env, async (store) => {
      logs = await placeDaemon(store, 'prod', 'logs', ['prod-mi'], { image: BROKEN, critical: false });
    });
    await fleet.createProvider('prod', 'prod-mi');
    await fleet.send('fleet.command.AddFaultRule', { image: BROKEN, daemonTaskStartFailureRate: 1 });
    const serviceArn = await fleet.createService('prod', 'web', 'prod-mi', 2);

    await eventually(
      async () => {
        const instances = await fleet.instances('prod-mi');
        expect(tasksOf(instances, serviceArn).running).toHaveLength(2);
        expect(instances.map((instance) => instance.status)).toEqual(['ACTIVE', 'ACTIVE']);
        expect([...groupByInstance(failed(await fleet.events(stream))).values()].map((list) => list.length >= 2)).toEqual([true, true]);
      },
      { what: 'running tasks beside a daemon retried on each instance' },
    );
    const { fleet: state } = await fleet.fleet('prod-mi');
    expect(daemonRevisionCounts(logs.daemonArn, [state])).toEqual([
      { revisionArn: logs.daemonRevisionArn, capacityProviders: [{ capacityProviderArn: `${prefix}:capacity-provider/prod-mi`, running: 0, withoutDaemon: 2, draining: 0 }] },
    ]);
  });

  it('retries a failed provisioning, not counted as a daemon failure, and registers once the rule is removed', async () => {
    fleet = await FleetAgentHarness.start(env, (store) => placeDaemon(store, 'prod', 'agent', ['prod-mi'], { image: BROKEN }));
    await fleet.createProvider('prod', 'prod-mi');
    const { result } = await fleet.send('fleet.command.AddFaultRule', { image: BROKEN, instanceProvisioningFailureRate: 1 });
    await fleet.send('fleet.command.AddInstances', { capacityProvider: 'prod-mi', count: 1 });

    const failures = await eventually(
      async () => {
        const list = (await fleet.events(stream)).filter((event) => event.type === 'InstanceProvisioningFailed').map((event) => event.data as InstanceProvisioningFailed['data']);
        expect(list.length).toBeGreaterThanOrEqual(3);
        return list;
      },
      { what: 'three failed provisionings' },
    );
    expect(failures.slice(0, 3).map((f) => [f.attempt, f.retryAt - f.failedAt])).toEqual([
      [1, 17],
      [2, 34],
      [3, 68],
    ]);
    expect(failures[0].reason).toContain(BROKEN);
    const [instance] = await fleet.instances('prod-mi');
    expect([instance.registeredAt, instance.daemonTasks.size]).toEqual([null, 0]);

    await fleet.send('fleet.command.RemoveFaultRule', { faultId: result.faultId });
    await eventually(async () => expect((await fleet.instances('prod-mi')).map((i) => i.status)).toEqual(['ACTIVE']), { what: 'the instance to register' });
    expect((await fleet.events(stream)).filter((event) => event.type === 'DaemonTaskFailedToStart')).toEqual([]);
  });

  it('refuses to remove a rule that does not exist or is gone, and a malformed id', async () => {
    fleet = await FleetAgentHarness.start(env);
    const { result } = await fleet.send('fleet.command.AddFaultRule', { image: BROKEN, daemonTaskStartFailureRate: 0.5 });
    const events = await fleet.events(Streams.faultRule(scope, result.faultId));
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['FaultRuleAdded', { faultId: result.faultId, image: BROKEN, daemonTaskStartFailureRate: 0.5, instanceProvisioningFailureRate: 0, addedAt: expect.any(Number) }],
    ]);
    await fleet.send('fleet.command.RemoveFaultRule', { faultId: result.faultId });
    await expect(fleet.send('fleet.command.RemoveFaultRule', { faultId: result.faultId })).rejects.toMatchObject({ code: 'FAULT_RULE_NOT_FOUND' });
    await expect(fleet.send('fleet.command.RemoveFaultRule', { faultId: 'f'.repeat(32) })).rejects.toMatchObject({ code: 'FAULT_RULE_NOT_FOUND' });
    await expect(fleet.send('fleet.command.RemoveFaultRule', { faultId: 'not-an-id' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expect(fleet.send('fleet.command.AddFaultRule', { image: BROKEN, daemonTaskStartFailureRate: 2 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  });
});

describe('fleet agent: fault injection with a seed', () => {
  /** How many starts failed on each instance, in the order the instances were added, before its task ran. */
  async function run(seed: string): Promise<number[]> {
    const fleet = await FleetAgentHarness.start({ ...env, FAULT_SEED: seed }, (store) => placeDaemon(store, 'prod', 'logs', ['prod-mi'], { image: BROKEN, critical: false }));
    try {
      await fleet.createProvider('prod', 'prod-mi');
      await fleet.send('fleet.command.AddFaultRule', { image: BROKEN, daemonTaskStartFailureRate: 0.5 });
      const { result } = await fleet.send('fleet.command.AddInstances', { capacityProvider: 'prod-mi', count: 8 });
      await eventually(
        async () => {
          const instances = await fleet.instances('prod-mi');
          expect(instances.flatMap((instance) => [...instance.daemonTasks.values()].map((task) => task.status))).toEqual(Array(8).fill('RUNNING'));
        },
        { what: 'every daemon task running' },
      );
      const failures = failed(await fleet.events(stream));
      return result.containerInstanceArns.map((arn) => failures.filter((f) => arn.endsWith(f.instanceId)).length);
    } finally {
      await fleet.close();
    }
  }

  it('repeats a run at rate 0.5 with the same FAULT_SEED, in a single provider', async () => {
    const first = await run('20250101');
    expect(await run('20250101')).toEqual(first);
    expect(first.some((count) => count === 0) && first.some((count) => count > 0), 'a rate of 0.5 fails some starts and not others').toBe(true);
    expect(await run('7')).not.toEqual(first);
  });
});

// Fixtures last.
const env = { TIME_SCALE: '600' };
const BROKEN = 'public.ecr.aws/example/agent:broken';
const HEALTHY = 'public.ecr.aws/example/agent:1.0';
const stream = Streams.capacityProvider(scope, 'prod-mi');

function failed(events: readonly RecordedEvent[]): DaemonTaskFailedToStart['data'][] {
  return events.filter((event) => event.type === 'DaemonTaskFailedToStart').map((event) => event.data as DaemonTaskFailedToStart['data']);
}

function groupByInstance<T extends { instanceId: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.instanceId, [...(groups.get(item.instanceId) ?? []), item]);
  return groups;
}

/** The revisions of the daemon launched again on these instances after a failed start (the retries). */
function relaunchedRevisions(events: readonly RecordedEvent[], instanceIds: readonly string[]): Set<string> {
  const failedOn = new Set<string>();
  const revisions = new Set<string>();
  for (const event of events) {
    const data = event.data as { instanceId: string };
    if (!instanceIds.includes(data.instanceId)) continue;
    if (event.type === 'DaemonTaskFailedToStart') failedOn.add(data.instanceId);
    if (event.type === 'DaemonTaskLaunched' && failedOn.has(data.instanceId)) revisions.add((event.data as DaemonTaskLaunched['data']).daemon.daemonRevisionArn);
  }
  return revisions;
}

/** Every relaunch of a daemon on an instance comes at or after the retry time its failure set, never before. */
function expectRetriesWhenDue(events: readonly RecordedEvent[]): void {
  const retryAt = new Map<string, number>();
  let relaunches = 0;
  for (const event of events) {
    if (event.type === 'DaemonTaskFailedToStart') {
      const data = event.data as DaemonTaskFailedToStart['data'];
      retryAt.set(`${data.instanceId} ${data.daemon.daemonArn}`, data.retryAt);
    }
    if (event.type === 'DaemonTaskLaunched') {
      const data = event.data as DaemonTaskLaunched['data'];
      const due = retryAt.get(`${data.instanceId} ${data.daemon.daemonArn}`);
      if (due === undefined) continue;
      relaunches++;
      expect(data.launchedAt).toBeGreaterThanOrEqual(due);
    }
  }
  expect(relaunches).toBeGreaterThan(0);
}
