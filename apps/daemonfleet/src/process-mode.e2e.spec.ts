import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectJetStreamEventStore, type JetStreamEventStore } from '@daemonfleet/event-store';
import { describeWithNats, eventually, freePort, natsForTests, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FAST_FLEET } from './testing/fast-fleet.js';
import { FleetWorld } from './testing/fleet-world.js';
import { jsonClient } from './testing/http-client.js';
import { expectRolloutIntact } from './testing/rollout-checks.js';
import { runProcess, type ProcessRun } from './testing/run-process.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Distributed mode without Docker, as users run it: `npm run up -- --scale deployment-orchestrator=2 --scale
 * fleet-agent=3` starts the services under pm2 against a nats-server, and `npm run down` stops them and pm2. The
 * scripts are called directly (`npm run up` builds first), with their own DATA_DIR, PM2_HOME and ports.
 */
describeWithNats('process mode: npm run up / npm run down under pm2', () => {
  let nats: NatsForTests;
  let store: JetStreamEventStore;
  let dataDir: string;
  let pm2Home: string;
  let env: Record<string, string>;
  let port: number;

  beforeAll(async () => {
    nats = await natsForTests();
    dataDir = mkdtempSync(join(tmpdir(), 'daemonfleet-up-'));
    pm2Home = join(dataDir, 'pm2');
    port = await freePort();
    const streamName = `DF_UP_${randomUUID().slice(0, 8)}`;
    env = { NATS_URL: nats.url, DATA_DIR: dataDir, PM2_HOME: pm2Home, PORT: String(port), EVENT_STREAM: streamName, LOG_LEVEL: 'warn', ...FAST_FLEET, RESYNC_INTERVAL_MS: '200', METRICS_PERIOD_SECONDS: '86400' };
    store = await connectJetStreamEventStore({ servers: [nats.url], streamName });
  });
  afterAll(async () => {
    // Whatever a failed test left behind.
    if (env) await run('scripts/down.mjs', [], env);
    await store?.close();
    await nats?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses an unknown service or a count below 1, and starts nothing', async () => {
    for (const scale of ['orchestrator=2', 'fleet-agent=0']) {
      const up = await run('scripts/up.mjs', ['--scale', scale], env);
      expect(up.code).toBe(2);
      expect(up.stderr).toMatch(/unknown service "orchestrator"|must be a whole number of at least 1/);
      expect(up.stderr).toContain('nothing was started');
    }
    expect(existsSync(join(pm2Home, 'pm2.pid')), 'a pm2 daemon was started').toBe(false);
  });

  it('runs 2 orchestrators and 3 fleet agents that roll a daemon out, then down leaves nothing running', async () => {
    const up = await run('scripts/up.mjs', ['--scale', 'deployment-orchestrator=2', '--scale', 'fleet-agent=3'], env);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toContain(`http://127.0.0.1:${port}`);
    expect(up.stdout).toContain(`PM2_HOME=${pm2Home} npx pm2 ls`);

    const processes = await pm2List(env);
    const online = (name: string) => processes.filter((p) => p.name === name && p.pm2_env.status === 'online').length;
    expect({ gateways: online('api-gateway'), orchestrators: online('deployment-orchestrator'), agents: online('fleet-agent'), monitors: online('alarm-monitor') }).toEqual({
      gateways: 1,
      orchestrators: 2,
      agents: 3,
      monitors: 1,
    });
    expect(processes.every((p) => p.pm2_env.exec_mode === 'fork_mode')).toBe(true);

    const w = new FleetWorld(jsonClient(`http://127.0.0.1:${port}`), store, 'pm2');
    await w.create();
    await w.service('web', 20);
    const { deploymentId } = await w.createDaemon('agent', { daemonTaskDefinitionArn: 'pm2-agent:1', capacityProviderArns: [w.provider()], deploymentConfiguration: { drainPercent: 25 } });
    await w.watch(deploymentId, 'SUCCESSFUL', 90_000);
    await expectRolloutIntact(w, deploymentId, { service: 'web', desired: 20 });

    const pids = [...processes.map((p) => p.pid), Number(readFileSync(join(pm2Home, 'pm2.pid'), 'utf8'))];
    const down = await run('scripts/down.mjs', [], env);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toContain('stopped the services and the pm2 daemon');
    await eventually(() => expect(pids.filter(isRunning)).toEqual([]), { timeoutMs: 15_000, what: 'every process to be gone' });
    expect(existsSync(join(pm2Home, 'pm2.pid'))).toBe(false);

    const again = await run('scripts/down.mjs', [], env);
    expect(again.stdout).toContain('nothing to stop');
  }, 180_000);
});

/** Runs a node script of the repository as a separate process (asynchronously: this process keeps serving NATS). */
function run(script: string, args: readonly string[], env: Record<string, string>): Promise<ProcessRun> {
  return runProcess([process.execPath, join(root, script), ...args], { cwd: root, env });
}

interface Pm2Process {
  readonly name: string;
  readonly pid: number;
  readonly pm2_env: { readonly status: string; readonly exec_mode: string };
}

/** What `pm2 jlist` shows under the test's PM2_HOME (its last line: pm2 may print a banner first). */
async function pm2List(env: Record<string, string>): Promise<Pm2Process[]> {
  const listed = await run('node_modules/pm2/bin/pm2', ['jlist'], env);
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout.trim().split('\n').at(-1)!) as Pm2Process[];
}

/** A pid still taken by a live process (a zombie awaiting its reaper has exited). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}
