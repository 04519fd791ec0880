import { Subjects, type DeploymentEvent } from '@daemonfleet/contracts';
import { eventually } from '@daemonfleet/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { idOf, OrchestratorHarness } from '../testing/orchestrator-harness.js';

let h: OrchestratorHarness;
beforeEach(async () => {
  h = await OrchestratorHarness.start();
});
afterEach(() => h.close());

/** The rollout's size in scope (architecture section 4): the figures are for the report, the test checks the outcome. */
it('rolls 10,000 instances in four batches of 2,500, each drained once, in fleet commands of at most 1,000', async () => {
  await h.fleet.createProvider('mi');
  await h.fleet.addInstances('mi', 10_000);
  await eventually(() => expect(h.fleet.instances().every((i) => i.status === 'ACTIVE')).toBe(true), { timeoutMs: 60_000 });
  const td = await h.registerTaskDefinition('agent', 'agent:1.0');
  const reply = await h.send(Subjects.orchestrator.createDaemon, {
    daemonName: 'monitor',
    clusterArn: 'prod',
    daemonTaskDefinitionArn: td,
    capacityProviderArns: ['mi'],
    deploymentConfiguration: { drainPercent: 25 },
  });
  const deploymentId = idOf(reply.result.deploymentArn);
  await eventually(async () => expect((await h.deployment(deploymentId)).status).toBe('SUCCESSFUL'), { timeoutMs: 100_000, intervalMs: 200 });

  const events = (await h.deploymentEvents(deploymentId)) as unknown as DeploymentEvent[];
  const requested = events.flatMap((e) => (e.type === 'InstanceDrainsRequested' ? [[e.data.batch, e.data.instances.length]] : []));
  expect(requested).toEqual([1, 2, 3, 4].flatMap((batch) => [[batch, 2_000], [batch, 500]]));
  const drained = await h.drainedInstances();
  expect(drained).toHaveLength(10_000);
  expect(new Set(drained).size).toBe(10_000);
  const drains = h.fleet.received.filter((c) => c.subject === Subjects.fleet.startInstanceDrains);
  expect(drains.every((c) => c.instanceIds.length <= 1_000)).toBe(true);
}, 180_000);
