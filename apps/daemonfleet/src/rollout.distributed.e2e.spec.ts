import { randomUUID } from 'node:crypto';
import { connectJetStreamEventStore, type JetStreamEventStore } from '@daemonfleet/event-store';
import { describeWithNats, natsForTests, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDistributedSystem, type DistributedSystem } from './testing/distributed-system.js';
import { FleetWorld } from './testing/fleet-world.js';
import { jsonClient } from './testing/http-client.js';
import { rolloutScenarios } from './testing/rollout.scenario.js';
import { expectRolloutIntact } from './testing/rollout-checks.js';

describeWithNats('rollouts in distributed mode', () => {
  let nats: NatsForTests;
  let system: DistributedSystem;
  let store: JetStreamEventStore;

  beforeAll(async () => {
    nats = await natsForTests();
    const streamName = `DF_ROLL_${randomUUID().slice(0, 8)}`;
    system = await startDistributedSystem({ natsUrl: nats.url, streamName, env: { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' } });
    store = await connectJetStreamEventStore({ servers: [nats.url], streamName });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await system?.close();
    await nats?.dispose();
  });

  rolloutScenarios(() => ({ client: jsonClient(system.url), store }));

  it('finishes a rollout whose orchestrator was killed in the middle of it, with a new orchestrator', async () => {
    const w = new FleetWorld(jsonClient(system.url), store, 'orchestrator-killed');
    await w.create();
    await w.service('web', 8);
    const { deploymentId } = await w.createDaemon('agent', { daemonTaskDefinitionArn: `${w.cluster}-agent:1`, capacityProviderArns: [w.provider()], deploymentConfiguration: { drainPercent: 25 } });
    await w.watch(deploymentId, 'IN_PROGRESS');
    await expect.poll(async () => (await w.fleetEvents()).filter((e) => e.type === 'InstanceDrainStarted').length, { timeout: 20_000 }).toBeGreaterThan(0);
    await system.processes.find((p) => p.service === 'deployment-orchestrator' && p.child.exitCode === null)!.stop('SIGKILL');
    system.start('deployment-orchestrator');
    await w.watch(deploymentId, 'SUCCESSFUL');
    await expectRolloutIntact(w, deploymentId, { service: 'web', desired: 8 });
  });
});
