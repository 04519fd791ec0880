/**
 * Prints rough throughput figures of each adapter (architecture section 8: benchmarks print, they do not assert).
 *
 *   npm run build -w libs/event-store && node libs/event-store/dist/bench/event-store-throughput.bench.js
 *
 * The JetStream figures need a running nats-server with JetStream: set NATS_URL (for example
 * `nats-server -js -sd /tmp/bench-store -p 4222` and NATS_URL=nats://127.0.0.1:4222). Each run uses a new stream and
 * deletes it afterwards. APPENDS (default 2000) sets the number of appends per scenario.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { EventStore, NewEvent } from '../event-store.port.js';
import { connectJetStreamEventStore } from '../jetstream/jetstream-event-store.js';
import { MemoryEventStore } from '../memory/memory-event-store.js';
import { openSqliteEventStore } from '../sqlite/sqlite-event-store.js';

const APPENDS = Number(process.env.APPENDS ?? 2000);

function event(i: number): NewEvent {
  return {
    type: 'InstanceDrainStarted',
    data: { instanceId: `i-${i.toString(16).padStart(17, '0')}`, deploymentId: 'dep-1', reason: 'rolling update' },
    metadata: { eventId: randomUUID(), occurredAt: new Date(0).toISOString(), correlationId: 'bench', schemaVersion: 1 },
  };
}

async function timed(what: string, units: string, count: number, run: () => Promise<void>): Promise<void> {
  const started = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`  ${what.padEnd(52)} ${Math.round(count / seconds).toLocaleString('en').padStart(9)} ${units}/s  (${count} in ${seconds.toFixed(2)} s)`);
}

async function measure(name: string, store: EventStore): Promise<void> {
  console.log(name);
  await timed('sequential appends, 1 event, expected version', 'appends', APPENDS, async () => {
    for (let i = 0; i < APPENDS; i++) await store.appendToStream(`daemon-s${i % 100}`, [event(i)], { expectedVersion: Math.floor(i / 100) });
  });
  await timed('sequential appends, 10 events each', 'events', APPENDS * 10, async () => {
    for (let i = 0; i < APPENDS; i++)
      await store.appendToStream(`fleet-b${i % 100}`, Array.from({ length: 10 }, (_, j) => event(j)), { expectedVersion: 'any' });
  });
  await timed('32 concurrent appenders, 1 event, any', 'appends', APPENDS, async () => {
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < APPENDS; i = next++) await store.appendToStream(`alarm-c${i % 32}`, [event(i)], { expectedVersion: 'any' });
    };
    await Promise.all(Array.from({ length: 32 }, worker));
  });
  const total = (await store.readAll({ maxCount: Number.MAX_SAFE_INTEGER })).length;
  await timed('readAll in pages of 1000', 'events', total, async () => {
    let read = 0;
    for (let page = await store.readAll(); page.length > 0; page = await store.readAll({ fromPosition: page[page.length - 1].globalPosition + 1 }))
      read += page.length;
    if (read !== total) throw new Error(`read ${read} events, expected ${total}`);
  });
  const perStream = Math.ceil(APPENDS / 100);
  await timed(`readStream of a whole ${perStream}-event stream, 50 times`, 'events', perStream * 50, async () => {
    for (let i = 0; i < 50; i++) if ((await store.readStream(`daemon-s${i}`)).length !== perStream) throw new Error('short read');
  });
}

const memory = new MemoryEventStore();
await measure('memory', memory);
await memory.close();

const dir = mkdtempSync(join(tmpdir(), 'daemonfleet-bench-'));
const sqlite = openSqliteEventStore({ path: join(dir, 'events.sqlite') });
await measure('sqlite (WAL, synchronous=FULL)', sqlite);
await sqlite.close();
rmSync(dir, { recursive: true, force: true });

const natsUrl = process.env.NATS_URL;
if (natsUrl) {
  const streamName = `BENCH_${randomUUID().slice(0, 8)}`;
  const jetstream = await connectJetStreamEventStore({ servers: natsUrl, streamName, subjectPrefix: `bench.${streamName}` });
  await measure(`jetstream (${natsUrl}, file storage, R1)`, jetstream);
  await jetstream.close();
  const nc = await connect({ servers: natsUrl });
  await (await jetstreamManager(nc)).streams.delete(streamName);
  await nc.close();
} else {
  console.log('jetstream: skipped (set NATS_URL to a nats-server with JetStream)');
}
