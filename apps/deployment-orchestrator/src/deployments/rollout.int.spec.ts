import { Subjects, type DeploymentCreated, type DeploymentEvent } from '@daemonfleet/contracts';
import type { DeploymentState } from '@daemonfleet/domain';
import { eventually } from '@daemonfleet/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { arn, idOf, OrchestratorHarness } from '../testing/orchestrator-harness.js';

/**
 * The orchestrator's rollout over a real in-memory store and the in-process transport, against a fake fleet that
 * answers the fleet's commands as the contracts say. The whole system (the real fleet agent, over HTTP) is the
 * end-to-end tier's.
 */
describe('deployment orchestrator: rollouts', () => {
  let h: OrchestratorHarness;
  beforeEach(async () => {
    h = await OrchestratorHarness.start();
  });
  afterEach(() => h.close());

  it('rolls a new daemon over a provider with running instances, two at a time at drainPercent 25', async () => {
    await fleetOf({ mi: 8 });
    const td = await h.registerTaskDefinition('agent', 'agent:1.0');
    const { deploymentId } = await createDaemon({ daemonTaskDefinitionArn: td, capacityProviderArns: ['mi'], deploymentConfiguration: { drainPercent: 25 } });

    const final = await finished(deploymentId);
    const events = await typedEvents(deploymentId);
    expect(events.flatMap((e) => (e.type === 'InstanceDrainsRequested' ? [e.data.instances.length] : []))).toEqual([2, 2, 2, 2]);
    expect(await mostDraining(deploymentId)).toBe(2);
    const target = final.status === 'SUCCESSFUL' ? final.targetRevision! : undefined;
    expect(h.daemonTasks(daemonArn)).toEqual(Array(8).fill(expect.objectContaining({ daemonRevisionArn: target?.arn, status: 'RUNNING' })));
    expect(final.revisionCounts[0]).toEqual({ revisionArn: target?.arn, capacityProviders: [{ capacityProviderArn: h.fleet.providerArn('mi'), running: 8, withoutDaemon: 0, draining: 0 }] });
    await expectEachInstanceDrainedOnce(8);
  });

  it('updates to a new task definition revision: every instance moves over, the old revision is the source', async () => {
    await fleetOf({ mi: 6 });
    const first = await createDaemon({ daemonTaskDefinitionArn: await h.registerTaskDefinition('agent', 'agent:1.0'), capacityProviderArns: ['mi'] });
    const firstRevision = ((await typedEvents(first.deploymentId))[0] as DeploymentCreated).data.targetRevision!.arn;
    await finished(first.deploymentId);

    const td2 = await h.registerTaskDefinition('agent', 'agent:2.0');
    const update = await h.send(Subjects.orchestrator.updateDaemon, { daemonArn, daemonTaskDefinitionArn: td2, capacityProviderArns: ['mi'], deploymentConfiguration: { drainPercent: 50 } });
    expect(update.result).toMatchObject({ daemonArn, status: 'ACTIVE' });
    const final = await finished(idOf(update.result.deploymentArn));

    expect(final.sourceRevisionArns).toEqual([firstRevision]);
    expect(h.daemonTasks(daemonArn)).toEqual(Array(6).fill(expect.objectContaining({ daemonTaskDefinitionArn: td2, daemonRevisionArn: final.targetRevision!.arn })));
    expect(await mostDraining(idOf(update.result.deploymentArn))).toBe(3);
    await expectEachInstanceDrainedOnce(12);
  });

  it('adopts instances that already run the task definition on an update that changes no task setting (decision 12)', async () => {
    await fleetOf({ mi: 4 });
    const td = await h.registerTaskDefinition('agent', 'agent:1.0');
    await finished((await createDaemon({ daemonTaskDefinitionArn: td, capacityProviderArns: ['mi'] })).deploymentId);
    const instancesBefore = h.fleet.instances('mi').map((i) => i.instanceId);

    const update = await h.send(Subjects.orchestrator.updateDaemon, { daemonArn, daemonTaskDefinitionArn: td, capacityProviderArns: ['mi'], enableExecuteCommand: true });
    const final = await finished(idOf(update.result.deploymentArn));

    const events = await typedEvents(idOf(update.result.deploymentArn));
    expect(events.map((e) => e.type)).toEqual(['DeploymentCreated', 'DeploymentStarted', 'DaemonTasksAdopted', 'DeploymentSucceeded']);
    expect(h.fleet.instances('mi').map((i) => i.instanceId)).toEqual(instancesBefore);
    expect(h.daemonTasks(daemonArn)).toEqual(Array(4).fill(expect.objectContaining({ daemonRevisionArn: final.targetRevision!.arn, status: 'RUNNING' })));
    expect(final.revisionCounts[0].capacityProviders[0]).toMatchObject({ running: 4 });
  });

  it('removes a capacity provider: its instances are replaced without the daemon, the others are not cycled (decision 13)', async () => {
    await fleetOf({ mi: 2, mi2: 2 });
    const td = await h.registerTaskDefinition('agent', 'agent:1.0');
    await finished((await createDaemon({ daemonTaskDefinitionArn: td, capacityProviderArns: ['mi', 'mi2'] })).deploymentId);
    const drainsBefore = (await h.drainedInstances()).length;
    const onMi = h.fleet.instances('mi').map((i) => i.instanceId);

    const update = await h.send(Subjects.orchestrator.updateDaemon, { daemonArn, daemonTaskDefinitionArn: td, capacityProviderArns: ['mi'] });
    await finished(idOf(update.result.deploymentArn));

    expect(h.fleet.instances('mi').map((i) => i.instanceId)).toEqual(onMi);
    expect(h.daemonTasks(daemonArn, 'mi2')).toEqual([undefined, undefined]);
    expect(h.fleet.instances('mi2').every((i) => i.status === 'ACTIVE')).toBe(true);
    const drained = (await h.drainedInstances()).slice(drainsBefore);
    expect(drained).toHaveLength(2);
    expect(drained.filter((id) => onMi.includes(id))).toEqual([]);
  });

  it('records the counts on the deployment’s stream as the fleet moves, each record a change, the drains among them', async () => {
    await fleetOf({ mi: 4 });
    await finished((await createDaemon({ daemonTaskDefinitionArn: await h.registerTaskDefinition('agent', 'agent:1.0'), capacityProviderArns: ['mi'] })).deploymentId);
    const td2 = await h.registerTaskDefinition('agent', 'agent:2.0');
    const update = await h.send(Subjects.orchestrator.updateDaemon, { daemonArn, daemonTaskDefinitionArn: td2, capacityProviderArns: ['mi'], deploymentConfiguration: { drainPercent: 50 } });
    const deploymentId = idOf(update.result.deploymentArn);
    const final = await finished(deploymentId);

    const recorded = (await typedEvents(deploymentId)).flatMap((e) =>
      e.type === 'DeploymentStarted' ? [e.data.revisionCounts] : e.type === 'DeploymentCountsObserved' ? [e.data.revisionCounts] : [],
    );
    const key = (counts: (typeof recorded)[number]) => JSON.stringify(counts);
    expect(recorded.length).toBeGreaterThan(2);
    for (let i = 1; i < recorded.length; i++) expect(key(recorded[i])).not.toBe(key(recorded[i - 1]));
    const drainingTotals = recorded.map((counts) => counts.flatMap((c) => c.capacityProviders).reduce((sum, c) => sum + c.draining, 0));
    // The drained instances run the source revision: two of them at a time at drainPercent 50.
    expect(Math.max(...drainingTotals)).toBe(2);
    expect(recorded.at(-1)).not.toEqual(final.revisionCounts);
  });

  it('bakes after the last batch for bakeTimeInMinutes divided by TIME_SCALE, then succeeds', async () => {
    await fleetOf({ mi: 2 });
    const td = await h.registerTaskDefinition('agent', 'agent:1.0');
    const { deploymentId } = await createDaemon({ daemonTaskDefinitionArn: td, capacityProviderArns: ['mi'], deploymentConfiguration: { bakeTimeInMinutes: 1 } });
    await finished(deploymentId);

    const events = await typedEvents(deploymentId);
    const bake = events.find((e) => e.type === 'DeploymentBakeStarted');
    const succeeded = events.at(-1);
    expect(bake?.type === 'DeploymentBakeStarted' && bake.data.bakeEndsAt - bake.data.bakeStartedAt).toBe(100);
    expect(succeeded?.type === 'DeploymentSucceeded' && bake?.type === 'DeploymentBakeStarted' && succeeded.data.finishedAt >= bake.data.bakeEndsAt).toBe(true);
  });

  it('does not bake a deployment that found nothing to replace (decision 5)', async () => {
    await fleetOf({ mi: 0 });
    const td = await h.registerTaskDefinition('agent', 'agent:1.0');
    const { deploymentId } = await createDaemon({ daemonTaskDefinitionArn: td, capacityProviderArns: ['mi'], deploymentConfiguration: { bakeTimeInMinutes: 5 } });
    await finished(deploymentId);
    expect((await typedEvents(deploymentId)).map((e) => e.type)).toEqual(['DeploymentCreated', 'DeploymentStarted', 'DeploymentSucceeded']);
  });

  // Fixtures and helpers last.
  const daemonArn = arn('daemon/prod/monitor');

  async function fleetOf(sizes: Record<string, number>): Promise<void> {
    for (const [name, count] of Object.entries(sizes)) {
      await h.fleet.createProvider(name);
      await h.fleet.addInstances(name, count);
    }
    await eventually(() => expect(h.fleet.instances().every((i) => i.status === 'ACTIVE')).toBe(true));
  }

  async function createDaemon(settings: { daemonTaskDefinitionArn: string; capacityProviderArns: string[]; deploymentConfiguration?: object }) {
    const reply = await h.send(Subjects.orchestrator.createDaemon, { daemonName: 'monitor', clusterArn: 'prod', ...settings });
    return { deploymentId: idOf(reply.result.deploymentArn) };
  }

  async function typedEvents(deploymentId: string): Promise<DeploymentEvent[]> {
    return (await h.deploymentEvents(deploymentId)) as unknown as DeploymentEvent[];
  }

  function finished(deploymentId: string): Promise<Extract<DeploymentState, { status: 'SUCCESSFUL' }>> {
    return eventually(
      async () => {
        const state = await h.deployment(deploymentId);
        if (state.status !== 'SUCCESSFUL') throw new Error(`deployment ${deploymentId} is ${state.status}`);
        return state;
      },
      { timeoutMs: 20_000, what: `deployment ${deploymentId} to succeed` },
    );
  }

  /** The most instances the fleet ever showed draining for the deployment, replaying its events. */
  async function mostDraining(deploymentId: string): Promise<number> {
    const draining = new Set<string>();
    let most = 0;
    for (const event of await h.fleet.events()) {
      const data = event.data as { instanceId: string; deploymentId?: string };
      if (event.type === 'InstanceDrainStarted' && data.deploymentId === deploymentId) draining.add(data.instanceId);
      if (event.type === 'InstanceDeregistered') draining.delete(data.instanceId);
      most = Math.max(most, draining.size);
    }
    return most;
  }

  async function expectEachInstanceDrainedOnce(count: number): Promise<void> {
    const drained = await h.drainedInstances();
    expect(drained).toHaveLength(count);
    expect(new Set(drained).size).toBe(count);
  }
});
