/**
 * npm run bench:rollout — the rollout at scale, measured (a script that prints figures; nothing is asserted).
 *
 * A fleet of INSTANCES (default 10,000) instances in 4 capacity providers, one service each (one application task
 * per instance), every simulated duration 0; a daemon is created with drainPercent 25 and rolled over all of them.
 * Prints, for embedded mode and then distributed mode (when a nats-server binary is available): the rollout's wall
 * time, the events appended during it, events per second, and the peak resident memory of the system's processes.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectJetStreamEventStore, openSqliteEventStore, type EventStore } from '@daemonfleet/event-store';
import { findNatsServerBinary, startNatsServer } from '@daemonfleet/testing';
import { startDistributedSystem } from '../testing/distributed-system.js';
import { startEmbeddedProcess } from '../testing/embedded-process.js';
import { agentDefinition, managedInstancesProvider } from '../testing/first-flow.scenario.js';
import { jsonClient, type JsonClient } from '../testing/http-client.js';

const INSTANCES = Number(process.env.INSTANCES ?? 10_000);
const PROVIDERS = 4;
const ZERO_DURATIONS = { SIM_INSTANCE_PROVISIONING_SECONDS: '0', SIM_DAEMON_TASK_START_SECONDS: '0', SIM_APP_TASK_START_SECONDS: '0', SIM_DRAIN_SECONDS: '0', LOG_LEVEL: 'error' };

interface Measured {
  readonly mode: string;
  readonly setupSeconds: number;
  readonly rolloutSeconds: number;
  readonly events: number;
  readonly peakRssMiB: number;
}

async function main(): Promise<void> {
  console.log(`rollout of a daemon over ${INSTANCES.toLocaleString('en')} instances in ${PROVIDERS} providers, drainPercent 25, durations 0`);
  report(await embedded());
  if (findNatsServerBinary()) report(await distributed());
  else console.log('distributed: skipped (no nats-server binary; apt-get install nats-server)');
}

async function embedded(): Promise<Measured> {
  const dataDir = mkdtempSync(join(tmpdir(), 'daemonfleet-bench-'));
  const system = await startEmbeddedProcess(dataDir, ZERO_DURATIONS);
  const store = openSqliteEventStore({ path: join(dataDir, 'events.sqlite') });
  try {
    return await measure('embedded (one process, SQLite)', jsonClient(system.url), store, () => peakRssMiB([system.child.pid!]));
  } finally {
    await system.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function distributed(): Promise<Measured> {
  const nats = await startNatsServer();
  const streamName = `DF_BENCH_${randomUUID().slice(0, 8)}`;
  const system = await startDistributedSystem({ natsUrl: nats.url, streamName, env: ZERO_DURATIONS });
  const store = await connectJetStreamEventStore({ servers: [nats.url], streamName });
  try {
    const pids = () => system.processes.map((p) => p.child.pid!);
    return await measure('distributed (4 processes, NATS, JetStream)', jsonClient(system.url), store, () => peakRssMiB(pids()));
  } finally {
    await store.close();
    await system.close();
    await nats.dispose();
  }
}

async function measure(mode: string, client: JsonClient, store: EventStore, peak: () => number): Promise<Measured> {
  const setupStarted = performance.now();
  await expectOk(client.post('/v1/clusters', { clusterName: 'bench' }));
  await expectOk(client.post('/v1/task-definitions', { family: 'app', containerDefinitions: [{ name: 'app', image: 'app:1', memory: 128 }] }));
  await expectOk(client.post('/v1/daemon-task-definitions', agentDefinition('agent')));
  const perProvider = Math.ceil(INSTANCES / PROVIDERS);
  for (let p = 1; p <= PROVIDERS; p++) {
    await expectOk(client.post('/v1/capacity-providers', managedInstancesProvider(`bench-mi-${p}`, 'bench')));
    await expectOk(
      client.post('/v1/services', { serviceName: `svc-${p}`, cluster: 'bench', taskDefinition: 'app:1', desiredCount: perProvider, capacityProviderStrategy: [{ capacityProvider: `bench-mi-${p}`, weight: 1 }] }),
    );
  }
  for (let p = 1; p <= PROVIDERS; p++) await until(async () => (await client.get(`/v1/services/bench/svc-${p}`)).body.service.runningCount === perProvider);
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  const eventsBefore = await countEvents(store);
  const started = performance.now();
  const created = await expectOk(
    client.post('/v1/daemons', {
      daemonName: 'agent',
      clusterArn: 'bench',
      daemonTaskDefinitionArn: 'agent:1',
      capacityProviderArns: Array.from({ length: PROVIDERS }, (_, i) => `bench-mi-${i + 1}`),
      deploymentConfiguration: { drainPercent: 25 },
    }),
  );
  const deploymentId = String(created.deploymentArn).split('/').at(-1);
  await until(async () => (await client.get(`/v1/deployments/${deploymentId}`)).body.daemonDeployment.status === 'SUCCESSFUL');
  const rolloutSeconds = (performance.now() - started) / 1000;
  return { mode, setupSeconds, rolloutSeconds, events: (await countEvents(store)) - eventsBefore, peakRssMiB: peak() };
}

function report({ mode, setupSeconds, rolloutSeconds, events, peakRssMiB }: Measured): void {
  console.log(`${mode}`);
  console.log(`  setup (instances and services running)   ${setupSeconds.toFixed(1)} s`);
  console.log(`  rollout wall time                         ${rolloutSeconds.toFixed(1)} s`);
  console.log(`  events appended during the rollout        ${events.toLocaleString('en')}`);
  console.log(`  events per second                         ${Math.round(events / rolloutSeconds).toLocaleString('en')}`);
  console.log(`  peak RSS of the system's processes        ${Math.round(peakRssMiB).toLocaleString('en')} MiB`);
}

async function countEvents(store: EventStore): Promise<number> {
  let count = 0;
  for (let position = 1; ; ) {
    const batch = await store.readAll({ fromPosition: position, maxCount: 1000 });
    if (batch.length === 0) return count;
    count += batch.length;
    position = batch.at(-1)!.globalPosition + 1;
  }
}

/** Peak resident set size (VmHWM) summed over processes, in MiB. */
function peakRssMiB(pids: number[]): number {
  return pids.reduce((sum, pid) => {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return sum + Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024;
  }, 0);
}

async function expectOk(request: Promise<{ status: number; body: Record<string, unknown> }>): Promise<Record<string, unknown>> {
  const { status, body } = await request;
  if (status >= 300) throw new Error(`request failed with ${status}: ${JSON.stringify(body)}`);
  return body;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

await main();
