import { describeWithNats } from '@daemonfleet/testing';
import { expect, it } from 'vitest';
import { distributedSuite } from './testing/distributed-suite.js';
import { FleetWorld } from './testing/fleet-world.js';
import { jsonClient } from './testing/http-client.js';
import { rolloutScenarios } from './testing/rollout.scenario.js';
import { expectRolloutIntact } from './testing/rollout-checks.js';

describeWithNats('rollouts in distributed mode', () => {
  const suite = distributedSuite('DF_ROLL', { env: { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' } });

  rolloutScenarios(() => ({ client: jsonClient(suite.system.url), store: suite.store }));

  it('finishes a rollout whose orchestrator was killed in the middle of it, with a new orchestrator', async () => {
    const w = new FleetWorld(jsonClient(suite.system.url), suite.store, 'orchestrator-killed');
    await w.create();
    await w.service('web', 8);
    const { deploymentId } = await w.createDaemon('agent', { daemonTaskDefinitionArn: `${w.cluster}-agent:1`, capacityProviderArns: [w.provider()], deploymentConfiguration: { drainPercent: 25 } });
    await w.watch(deploymentId, 'IN_PROGRESS');
    await expect.poll(async () => (await w.fleetEvents()).filter((e) => e.type === 'InstanceDrainStarted').length, { timeout: 20_000 }).toBeGreaterThan(0);
    await suite.system.processes.find((p) => p.service === 'deployment-orchestrator' && p.child.exitCode === null)!.stop('SIGKILL');
    suite.system.start('deployment-orchestrator');
    await w.watch(deploymentId, 'SUCCESSFUL');
    await expectRolloutIntact(w, deploymentId, { service: 'web', desired: 8 });
  });
});
