import { randomUUID } from 'node:crypto';
import { connectJetStreamEventStore, type JetStreamEventStore } from '@daemonfleet/event-store';
import { describeWithNats, eventually, startNatsServer, type RunningNatsServer } from '@daemonfleet/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDistributedSystem, type DistributedSystem, type ServiceProcess } from './testing/distributed-system.js';
import { FAST_FLEET } from './testing/fast-fleet.js';
import { allEvents } from './testing/first-flow.scenario.js';
import { FleetWorld } from './testing/fleet-world.js';
import { jsonClient } from './testing/http-client.js';
import { expectRolloutIntact } from './testing/rollout-checks.js';
import { expectStoreIntact } from './testing/store-integrity.js';

/**
 * Distributed mode on a single nats-server that is killed or stopped in the middle of a rollout and started again on its port
 * and store (issue requirement d): every process notices (its /health answers 503), reconnects on its own (200
 * again), and the rollout finishes with nothing lost and nothing stored twice.
 */
describeWithNats(
  'distributed mode through a restart of its only NATS server',
  () => {
    let server: RunningNatsServer;
    let system: DistributedSystem;
    let store: JetStreamEventStore;
    const streamName = `DF_RESTART_${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      server = await startNatsServer();
      system = await startDistributedSystem({
        natsUrl: server.url,
        streamName,
        env: { ...FAST_FLEET, RESYNC_INTERVAL_MS: '200', EVENT_ACK_WAIT_MS: '2000', METRICS_PERIOD_SECONDS: '86400' },
      });
      store = await connectJetStreamEventStore({ servers: [server.url], streamName });
    }, 90_000);
    afterAll(async () => {
      await store?.close();
      await system?.close();
      await server?.dispose();
    });

    it.each([
      ['killed (SIGKILL)', 'kill'],
      ['stopped (SIGTERM)', 'stop'],
    ] as const)('finishes a rollout when the NATS server is %s and restarted in the middle of it; every service answers /health 503, then 200', async (_how, how) => {
      const w = new FleetWorld(jsonClient(system.url), store, `restart-${how}`);
      await w.create();
      await w.service('web', 40);
      const { deploymentId } = await w.createDaemon('agent', { daemonTaskDefinitionArn: `restart-${how}-agent:1`, capacityProviderArns: [w.provider()], deploymentConfiguration: { drainPercent: 10 } });
      await eventually(async () => expect((await w.fleetEvents()).some((e) => e.type === 'InstanceDrainStarted')).toBe(true), { timeoutMs: 30_000 });

      const before = await allEvents(store);
      await server[how]();
      expect(before.filter((e) => e.streamId === `daemonDeployment-${deploymentId}`).map((e) => e.type)).not.toContain('DeploymentSucceeded');
      await everyHealth(system.processes, 503, 'while the NATS server is down');

      server = await startNatsServer({ port: server.port, storeDir: server.storeDir });
      await everyHealth(system.processes, 200, 'once the NATS server is back');

      await w.watch(deploymentId, 'SUCCESSFUL', 90_000);
      await expectRolloutIntact(w, deploymentId, { service: 'web', desired: 40 });
      const after = await allEvents(store);
      expectStoreIntact(before, after);
      for (const process of system.processes) expect(process.alive, `${process.service} still running`).toBe(true);
    }, 240_000);
  },
  { needsBinary: true },
);

// Helpers and fixtures last.

/**
 * Waits until every process's /health on its metrics listener answers `status`, and every gateway's API /health
 * too (the gateway's own readiness: store, transport, read models and a ping of each service).
 */
async function everyHealth(processes: readonly ServiceProcess[], status: 200 | 503, when: string): Promise<void> {
  const urls = processes.flatMap((p) => [p.metricsUrl, p.url].filter((url): url is string => url !== undefined).map((url) => ({ service: p.service, url })));
  expect(urls.length).toBeGreaterThanOrEqual(processes.length);
  await Promise.all(
    urls.map(({ service, url }) =>
      eventually(async () => expect((await fetch(`${url}/health`)).status).toBe(status), {
        timeoutMs: 45_000,
        intervalMs: 100,
        what: `${service} at ${url} to answer /health ${status} ${when}`,
      }),
    ),
  );
}
