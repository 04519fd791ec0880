import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type SqliteEventStore } from '@daemonfleet/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedProcess, type EmbeddedProcess } from './testing/embedded-process.js';
import { FleetWorld } from './testing/fleet-world.js';
import { jsonClient } from './testing/http-client.js';
import { expectRolloutIntact } from './testing/rollout-checks.js';

/** Nothing is lost: the embedded process is killed (SIGKILL) in the middle of a rollout and started again. */
describe('a crash of the embedded process in the middle of a rollout', () => {
  let dataDir: string;
  let running: EmbeddedProcess | undefined;
  let store: SqliteEventStore;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'daemonfleet-crash-'));
  });
  afterAll(async () => {
    await running?.stop();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes and finishes the rollout on the same DATA_DIR, with no instance drained twice and no task lost', async () => {
    // A simulated minute passes in 0.5 s: slow enough to kill the process between batches.
    const env = { TIME_SCALE: '120', RESYNC_INTERVAL_MS: '100' };
    running = await startEmbeddedProcess(dataDir, env);
    store = openSqliteEventStore({ path: join(dataDir, 'events.sqlite') });
    let w = new FleetWorld(jsonClient(running.url), store, 'crash');
    await w.create();
    await w.service('web', 8);
    const { deploymentId } = await w.createDaemon('agent', { daemonTaskDefinitionArn: 'crash-agent:1', capacityProviderArns: [w.provider()], deploymentConfiguration: { drainPercent: 25 } });
    await expect.poll(async () => (await w.fleetEvents()).filter((e) => e.type === 'InstanceDrainStarted').length, { timeout: 30_000, interval: 20 }).toBeGreaterThan(0);

    await running.kill();
    const atCrash = (await store.readStream(`daemonDeployment-${deploymentId}`)).map((e) => e.type);
    expect(atCrash).not.toContain('DeploymentSucceeded');

    running = await startEmbeddedProcess(dataDir, env);
    w = new FleetWorld(jsonClient(running.url), store, 'crash');
    await w.watch(deploymentId, 'SUCCESSFUL');
    await expectRolloutIntact(w, deploymentId, { service: 'web', desired: 8 });
  });
});
