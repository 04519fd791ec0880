/**
 * npm run bench:replay — rebuilding one deployment from a stream of 100,000 events, from each event store (a script
 * that prints figures; nothing is asserted). The rebuild is the replay API's own (`replayDeployment`: pages of
 * events read through the upcasting store, folded with the orchestrator's evolve), as GET …/state runs it.
 *
 * The stream is a long rollout as the orchestrator writes it: created, started, then for each one-instance batch
 * the drain request, the counts it moved, the replacement closing the batch together with the next request (one
 * append), and the counts again; a bake, a success. Appends hold 1 or 2 events, as reconciles write them.
 * EVENTS (default 100,000) sets the length, RUNS (default 5) the rebuilds measured per store, after one that warms
 * up and is not counted. The load average printed first says how busy the machine was. JetStream: at NATS_URL,
 * or on a nats-server this script starts (Debian package nats-server); skipped without either.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Streams, type DeploymentEvent, type RevisionInstanceCounts } from '@daemonfleet/contracts';
import { connectJetStreamEventStore, MemoryEventStore, openSqliteEventStore, type EventStore } from '@daemonfleet/event-store';
import { eventSchemas, withCurrentEventSchemas } from '@daemonfleet/service-runtime';
import { findNatsServerBinary, startNatsServer } from '@daemonfleet/testing';
import { replayDeployment } from '../replay/deployment-replay.js';
import { presentDeploymentState } from '../replay/replay.presenter.js';

const EVENTS = Number(process.env.EVENTS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 5);
const ARN = 'arn:aws:ecs:us-east-1:000000000000';
const PROVIDER = `${ARN}:capacity-provider/prod-mi`;
const TARGET = `${ARN}:daemon-revision/prod/monitor/2222222222222222222`;
const SOURCE = `${ARN}:daemon-revision/prod/monitor/1111111111111111111`;
const T0 = Date.UTC(2026, 0, 1);

/** The appends of the stream, in order: each a list of events (1 or 2). */
function rolloutAppends(deploymentId: string, total: number): DeploymentEvent[][] {
  const instance = (n: number) => ({ instanceId: `i-${n.toString(16).padStart(17, '0')}`, capacityProviderArn: PROVIDER });
  const counts = (onTarget: number, onSource: number, draining: number): RevisionInstanceCounts[] => [
    { revisionArn: TARGET, capacityProviders: [{ capacityProviderArn: PROVIDER, running: onTarget, withoutDaemon: 0, draining: 0 }] },
    { revisionArn: SOURCE, capacityProviders: [{ capacityProviderArn: PROVIDER, running: onSource, withoutDaemon: 0, draining }] },
  ];
  // Five events per batch (two observations, the replacement and the next request in one append, a third
  // observation), four around them: the batches that fill `total`; the last observations make up the rest.
  const batches = Math.floor((total - 4) / 5);
  const at = (n: number) => T0 + n * 100;
  const appends: DeploymentEvent[][] = [
    [
      {
        type: 'DeploymentCreated',
        data: {
          deploymentId,
          daemonDeploymentArn: `${ARN}:daemon-deployment/prod/monitor/${deploymentId}`,
          daemonArn: `${ARN}:daemon/prod/monitor`,
          clusterArn: `${ARN}:cluster/prod`,
          targetRevision: { arn: TARGET, daemonTaskDefinitionArn: `${ARN}:daemon-task-definition/agent:2`, capacityProviderArns: [PROVIDER], critical: true },
          sourceRevisionArns: [SOURCE],
          deploymentConfiguration: { drainPercent: 0, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
          createdAt: T0,
        },
      },
    ],
    [
      {
        type: 'DeploymentStarted',
        data: { startedAt: T0, instancesInScope: batches, batchSize: 1, circuitBreakerThreshold: 200, monitoredAlarmNames: [], alarmsInAlarmAtStart: [], timesInAlarmAtStart: {}, revisionCounts: counts(0, batches, 0) },
      },
      { type: 'InstanceDrainsRequested', data: { batch: 1, instances: [instance(1)], requestedAt: at(1) } },
    ],
  ];
  for (let b = 1; b <= batches; b++) {
    appends.push([{ type: 'DeploymentCountsObserved', data: { revisionCounts: counts(b - 1, batches - b + 1, 1), observedAt: at(4 * b) } }]);
    appends.push([{ type: 'DeploymentCountsObserved', data: { revisionCounts: counts(b, batches - b + 1, 1), observedAt: at(4 * b + 1) } }]);
    const replaced: DeploymentEvent = { type: 'InstancesReplaced', data: { batch: b, instances: [{ ...instance(b), replacementInstanceId: instance(batches + b).instanceId }], replacedAt: at(4 * b + 2) } };
    appends.push(b < batches ? [replaced, { type: 'InstanceDrainsRequested', data: { batch: b + 1, instances: [instance(b + 1)], requestedAt: at(4 * b + 2) } }] : [replaced]);
    appends.push([{ type: 'DeploymentCountsObserved', data: { revisionCounts: counts(b, batches - b, 0), observedAt: at(4 * b + 3) } }]);
  }
  const written = appends.reduce((n, events) => n + events.length, 0);
  // The bake and the success, then counts up to the length asked for (a last reconcile's observation each).
  appends.push([{ type: 'DeploymentBakeStarted', data: { bakeStartedAt: at(4 * batches + 4), bakeEndsAt: at(4 * batches + 5) } }]);
  for (let n = written + 2; n < total; n++) appends.push([{ type: 'DeploymentCountsObserved', data: { revisionCounts: counts(batches, n % 2, 0), observedAt: at(4 * batches + 4) } }]);
  appends.push([{ type: 'DeploymentSucceeded', data: { finishedAt: at(4 * batches + 6), finalCounts: counts(batches, 0, 0) } }]);
  return appends;
}

async function write(store: EventStore, deploymentId: string): Promise<{ events: number; appends: number; seconds: number }> {
  const started = process.hrtime.bigint();
  let version = 0;
  const appends = rolloutAppends(deploymentId, EVENTS);
  for (const events of appends) {
    const metadata = () => ({ eventId: randomUUID(), occurredAt: new Date(T0).toISOString(), correlationId: 'bench-replay', causationId: randomUUID(), schemaVersion: 1 });
    await store.appendToStream(
      Streams.daemonDeployment(deploymentId),
      events.map((event) => ({ ...event, metadata: { ...metadata(), schemaVersion: eventSchemas.currentVersion(event.type) } })),
      { expectedVersion: version },
    );
    version += events.length;
  }
  return { events: version, appends: appends.length, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** `target`: the target for the store, in events per second (the median is held against it). */
async function measure(name: string, raw: EventStore, target?: number): Promise<void> {
  const store = withCurrentEventSchemas(raw);
  const deploymentId = randomUUID().replace(/-/g, '').slice(0, 16);
  const written = await write(store, deploymentId);
  const rates: number[] = [];
  let summary = '';
  // One rebuild first, not counted: the figures are of code the JIT has compiled, as in a running gateway.
  await replayDeployment(store, deploymentId);
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    const rebuilt = await replayDeployment(store, deploymentId);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (rebuilt.version !== written.events || rebuilt.state.status !== 'SUCCESSFUL') throw new Error(`rebuilt version ${rebuilt.version} (${rebuilt.state.status}), expected ${written.events} (SUCCESSFUL)`);
    rates.push(rebuilt.version / seconds);
    summary = `${presentDeploymentState(rebuilt.state).targetDaemonRevision?.totalRunningInstanceCount} on target`;
  }
  const sorted = [...rates].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const figure = (rate: number) => `${Math.round(rate).toLocaleString('en')} events/s`;
  const verdict = target === undefined ? '' : `; target ${figure(target)}: ${median >= target ? 'met' : 'NOT met'}`;
  console.log(
    `${name.padEnd(40)} rebuild: median ${figure(median).padStart(17)}, best ${figure(sorted.at(-1)!).padStart(17)}` +
      `   (${written.events.toLocaleString('en')} events in ${written.appends.toLocaleString('en')} appends, written in ${written.seconds.toFixed(1)} s; ${summary}${verdict})`,
  );
}

const load = loadavg()[0].toFixed(1);
console.log(`rebuilding a deployment from a stream of ${EVENTS.toLocaleString('en')} events, ${RUNS} runs per store after a warm-up (Node ${process.version}, ${cpus().length} CPUs, load average ${load})`);

// The stores the targets are for first: each measured on a heap no other store's 100,000 events have filled.
const dir = mkdtempSync(join(tmpdir(), 'daemonfleet-bench-replay-'));
const sqlite = openSqliteEventStore({ path: join(dir, 'events.sqlite') });
await measure('SQLite (WAL, synchronous=FULL)', sqlite, 200_000);
await sqlite.close();
rmSync(dir, { recursive: true, force: true });

const server = process.env.NATS_URL ? undefined : findNatsServerBinary() ? await startNatsServer() : undefined;
const natsUrl = process.env.NATS_URL ?? server?.url;
if (natsUrl) {
  const streamName = `BENCH_REPLAY_${randomUUID().slice(0, 8)}`;
  const jetstream = await connectJetStreamEventStore({ servers: natsUrl, streamName, subjectPrefix: `bench.${streamName}` });
  await measure(`JetStream (file storage, one node)`, jetstream, 50_000);
  await jetstream.close();
  const nc = await connect({ servers: natsUrl });
  await (await jetstreamManager(nc)).streams.delete(streamName);
  await nc.close();
  await server?.dispose();
} else {
  console.log('JetStream: skipped (set NATS_URL, or install nats-server)');
}

// The reference: no storage, the same decoding (JSON) and fold.
const memory = new MemoryEventStore();
await measure('memory (no storage, for reference)', memory);
await memory.close();
