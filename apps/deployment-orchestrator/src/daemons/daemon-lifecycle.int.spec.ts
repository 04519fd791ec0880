import { ErrorCode, Streams, Subjects, type DeploymentEvent } from '@daemonfleet/contracts';
import { daemonTaskDefinitionDecider, fold, supersededStatusReason, type DeploymentState } from '@daemonfleet/domain';
import { RemoteError } from '@daemonfleet/messaging';
import { eventually } from '@daemonfleet/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { arn, idOf, OrchestratorHarness, scope } from '../testing/orchestrator-harness.js';

/** Superseded deployments, deletion, a restart mid-rollout, and task definition deletion, against a fake fleet. */
describe('deployment orchestrator: daemon lifecycle', () => {
  let h: OrchestratorHarness;
  beforeEach(async () => {
    h = await OrchestratorHarness.start();
  });
  afterEach(() => h.close());

  it('stops a deployment superseded by an update; the newer one continues from the mixed fleet', async () => {
    await fleetOf(4);
    const td1 = await h.registerTaskDefinition('agent', 'agent:1.0');
    h.fleet.pause();
    const first = await createDaemon(td1, { drainPercent: 0 });
    await eventually(async () => expect(await h.drainedInstances()).toHaveLength(1));

    const td2 = await h.registerTaskDefinition('agent', 'agent:2.0');
    const update = await h.send(Subjects.orchestrator.updateDaemon, { daemonArn, daemonTaskDefinitionArn: td2, capacityProviderArns: ['mi'], deploymentConfiguration: { drainPercent: 100 } });
    const stopped = await h.deployment(first.deploymentId);
    expect(stopped).toMatchObject({ status: 'STOPPED', stopReason: 'SUPERSEDED', statusReason: supersededStatusReason(update.result.deploymentArn) });
    expect(stopped.status === 'STOPPED' && stopped.startedAt !== null && stopped.stoppedAt >= stopped.startedAt).toBe(true);

    h.fleet.resume();
    const final = await finished(idOf(update.result.deploymentArn));
    expect(h.daemonTasks(daemonArn)).toEqual(Array(4).fill(expect.objectContaining({ daemonTaskDefinitionArn: td2, status: 'RUNNING' })));
    expect((await h.deployment(first.deploymentId)).status).toBe('STOPPED');
    // The instance the first deployment drained came back with its revision; the second replaced it too.
    const drained = await h.drainedInstances();
    expect(new Set(drained).size).toBe(drained.length);
    expect(drained).toHaveLength(5);
    expect(final.targetRevision?.daemonTaskDefinitionArn).toBe(td2);
  });

  it('deletes a daemon: DELETE_IN_PROGRESS, a deployment drains it away, then the daemon is removed and its name free', async () => {
    await fleetOf(3);
    const td = await h.registerTaskDefinition('agent', 'agent:1.0');
    await finished((await createDaemon(td)).deploymentId);

    const deleted = await h.send(Subjects.orchestrator.deleteDaemon, { daemonArn });
    expect(deleted.result).toMatchObject({ daemonArn, status: 'DELETE_IN_PROGRESS' });
    await expectRefused(h.send(Subjects.orchestrator.deleteDaemon, { daemonArn }), ErrorCode.DaemonNotActive);
    await expectRefused(h.send(Subjects.orchestrator.updateDaemon, { daemonArn, daemonTaskDefinitionArn: td, capacityProviderArns: ['mi'] }), ErrorCode.DaemonNotActive);

    const final = await finished(idOf(deleted.result.deploymentArn));
    expect(final.targetRevision).toBeNull();
    expect(h.daemonTasks(daemonArn)).toEqual([undefined, undefined, undefined]);
    await eventually(async () => expect((await h.daemon('monitor')).status).toBe('REMOVED'));
    await expectRefused(h.send(Subjects.orchestrator.deleteDaemon, { daemonArn }), ErrorCode.DaemonNotFound);

    const again = await createDaemon(td);
    await finished(again.deploymentId);
    expect(h.daemonTasks(daemonArn)).toEqual(Array(3).fill(expect.objectContaining({ daemonTaskDefinitionArn: td, status: 'RUNNING' })));
  });

  it('refuses to update a daemon that does not exist', () =>
    expectRefused(h.send(Subjects.orchestrator.updateDaemon, { daemonArn: arn('daemon/prod/nope'), daemonTaskDefinitionArn: 'agent:1', capacityProviderArns: ['mi'] }), ErrorCode.DaemonNotFound));

  it('resumes a rollout after a restart of the orchestrator, draining no instance twice', async () => {
    await fleetOf(8);
    const td = await h.registerTaskDefinition('agent', 'agent:1.0');
    h.fleet.pause();
    const { deploymentId } = await createDaemon(td, { drainPercent: 25 });
    await eventually(async () => expect(await h.drainedInstances()).toHaveLength(2));

    await h.stopOrchestrator();
    h.fleet.resume();
    // The first batch is replaced while no orchestrator runs.
    await eventually(() => expect(h.fleet.instances().filter((i) => i.drain !== null)).toEqual([]));
    await h.startOrchestrator();

    await finished(deploymentId);
    const drained = await h.drainedInstances();
    expect(drained).toHaveLength(8);
    expect(new Set(drained).size).toBe(8);
    const requested = ((await h.deploymentEvents(deploymentId)) as unknown as DeploymentEvent[]).filter((e) => e.type === 'InstanceDrainsRequested');
    expect(requested.map((e) => e.data.batch)).toEqual([1, 2, 3, 4]);
  });

  it('shares a rollout between two replicas of the orchestrator, fenced by the stream version', async () => {
    await h.startOrchestrator();
    await fleetOf(6);
    const td = await h.registerTaskDefinition('agent', 'agent:1.0');
    const { deploymentId } = await createDaemon(td, { drainPercent: 50 });
    await finished(deploymentId);
    const drained = await h.drainedInstances();
    expect(drained).toHaveLength(6);
    expect(new Set(drained).size).toBe(6);
    const requested = ((await h.deploymentEvents(deploymentId)) as unknown as DeploymentEvent[]).filter((e) => e.type === 'InstanceDrainsRequested');
    expect(requested.map((e) => e.data.instances.length)).toEqual([3, 3]);
  });

  it('completes a task definition deletion once no live daemon runs or uses it', async () => {
    await fleetOf(2);
    const td1 = await h.registerTaskDefinition('agent', 'agent:1.0');
    await finished((await createDaemon(td1)).deploymentId);
    await h.send(Subjects.orchestrator.deleteDaemonTaskDefinition, { daemonTaskDefinition: 'agent:1' });
    const td2 = await h.registerTaskDefinition('agent', 'agent:2.0');
    expect(await taskDefinitionStatus(1)).toBe('DELETE_IN_PROGRESS');

    const update = await h.send(Subjects.orchestrator.updateDaemon, { daemonArn, daemonTaskDefinitionArn: td2, capacityProviderArns: ['mi'] });
    await finished(idOf(update.result.deploymentArn));
    await eventually(async () => expect(await taskDefinitionStatus(1)).toBe('DELETED'));

    await h.send(Subjects.orchestrator.deleteDaemonTaskDefinition, { daemonTaskDefinition: 'agent:2' });
    const deleted = await h.send(Subjects.orchestrator.deleteDaemon, { daemonArn });
    expect(await taskDefinitionStatus(2)).toBe('DELETE_IN_PROGRESS');
    await finished(idOf(deleted.result.deploymentArn));
    await eventually(async () => expect(await taskDefinitionStatus(2)).toBe('DELETED'));
  });

  // Fixtures and helpers last.
  const daemonArn = arn('daemon/prod/monitor');

  async function fleetOf(count: number): Promise<void> {
    await h.fleet.createProvider('mi');
    await h.fleet.addInstances('mi', count);
    await eventually(() => expect(h.fleet.instances().every((i) => i.status === 'ACTIVE')).toBe(true));
  }

  async function createDaemon(daemonTaskDefinitionArn: string, deploymentConfiguration: object = {}) {
    const reply = await h.send(Subjects.orchestrator.createDaemon, { daemonName: 'monitor', clusterArn: 'prod', daemonTaskDefinitionArn, capacityProviderArns: ['mi'], deploymentConfiguration });
    return { deploymentId: idOf(reply.result.deploymentArn) };
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

  async function expectRefused(request: Promise<unknown>, code: string): Promise<void> {
    const error = await request.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).code).toBe(code);
  }

  async function taskDefinitionStatus(revision: number): Promise<string | undefined> {
    const events = await h.store.readStream(Streams.daemonTaskDefinitionFamily(scope, 'agent'));
    return fold(daemonTaskDefinitionDecider, events as never).revisions.get(revision)?.status;
  }
});
