import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { describeWithNats, startNatsCluster, type RunningNatsCluster } from '@daemonfleet/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WrongExpectedVersionError } from '../event-store.errors.js';
import type { EventStore, RecordedEvent } from '../event-store.port.js';
import { newEvent } from '../testing/contract-fixtures.js';
import { connectJetStreamEventStore, type JetStreamEventStore } from './jetstream-event-store.js';

/**
 * The store on a 3-node cluster with its stream at R3, writers connected to different nodes. nats-server 2.9 checks
 * a publish's expected last subject sequence only against what the stream's leader has applied, so appends in
 * flight at the same moment all pass it (nats-server#4320): before the appender serialised appends by slot id,
 * the first test stored up to six appends with the same version in nearly every round.
 */
describeWithNats(
  'JetStreamEventStore on a 3-node cluster (R3)',
  () => {
    let cluster: RunningNatsCluster;
    let admin: NatsConnection;
    const stores: JetStreamEventStore[] = [];
    const streamName = `R3_${randomUUID().slice(0, 8)}`;
    const open = (servers: string[]) => connectJetStreamEventStore({ servers, streamName, replicas: 3 });

    beforeAll(async () => {
      cluster = await startNatsCluster(3);
      admin = await connect({ servers: cluster.urls.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
      // One writer per node: each publish reaches the stream's leader through a different route.
      for (const node of cluster.nodes) stores.push(await open([node.url]));
    }, 60_000);
    afterAll(async () => {
      await Promise.all(stores.map((store) => store.close()));
      await admin?.close();
      await cluster?.dispose();
    });

    it('of appends with the same expected version sent through every node at once, exactly one is stored', async () => {
      const streamId = 'daemon-contended';
      for (let version = 0; version < 30; version++) {
        const outcomes = await Promise.allSettled(
          [...stores, ...stores].map((store, i) => store.appendToStream(streamId, [newEvent('Contended', { version, i })], { expectedVersion: version })),
        );
        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        expect(winners, `appends expecting version ${version}`).toHaveLength(1);
        for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedVersionError);
      }
      const stored = await stores[0].readStream(streamId);
      expect(stored.map((e) => e.streamVersion)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    }, 60_000);

    it('stores every concurrent append with any once, each as a contiguous run of versions', async () => {
      const streamId = 'daemon-any';
      const batches = Array.from({ length: 24 }, (_, i) => [newEvent('Batched', { i, part: 0 }), newEvent('Batched', { i, part: 1 })]);
      await Promise.all(batches.map((events, i) => stores[i % 3].appendToStream(streamId, events, { expectedVersion: 'any' })));
      const stored = await stores[0].readStream(streamId);
      expectContiguous(stored);
      expect(stored).toHaveLength(48);
      for (let v = 0; v < 48; v += 2) expect(stored[v].metadata.eventId).not.toBe(stored[v + 1].metadata.eventId);
      expect(new Set(stored.map((e) => (e.data as { i: number }).i)).size).toBe(24);
    }, 60_000);

    it('loses no acknowledged append and stores none twice when the stream leader is killed under contended appends', async () => {
      // Writers that know every node, so they reconnect to a survivor.
      const urls = cluster.urls.split(',');
      const writers = [await open(urls), await open([...urls].reverse()), await open([urls[1], urls[2], urls[0]])];
      const streams = ['daemon-f0', 'daemon-f1', 'daemon-f2'];
      const acknowledged = new Set<string>();
      let running = true;
      // Two writers per store and stream: six contend for every version of every stream.
      const work = [...writers, ...writers].flatMap((store) => streams.map((streamId) => contendedWriter(store, streamId, acknowledged, () => running)));

      await untilAcknowledged(acknowledged, 60);
      const leader = (await (await jetstreamManager(admin)).streams.info(streamName)).cluster!.leader!;
      const lost = cluster.nodes.find((node) => node.name === leader)!;
      await lost.kill();
      const atKill = acknowledged.size;
      await untilAcknowledged(acknowledged, atKill + 120, 40_000);
      running = false;
      await Promise.all(work);

      const reader = writers[1];
      for (const streamId of streams) {
        const stored = await reader.readStream(streamId);
        expectContiguous(stored);
        const ids = stored.map((e) => e.metadata.eventId);
        expect(new Set(ids).size, `${streamId}: an event stored twice`).toBe(ids.length);
      }
      const all = new Set((await Promise.all(streams.map((s) => reader.readStream(s)))).flat().map((e) => e.metadata.eventId));
      expect([...acknowledged].filter((id) => !all.has(id))).toEqual([]);
      await Promise.all(writers.map((store) => store.close()));
      // The single-node stores of the other tests need their node back to close cleanly.
      await lost.start();
      await cluster.ready();
    }, 120_000);
  },
  { needsBinary: true },
);

function expectContiguous(events: readonly RecordedEvent[]): void {
  events.forEach((event, i) => expect(event.streamVersion, `${event.streamId} event ${i}`).toBe(i + 1));
}

/**
 * Appends two events at a time on the version it last saw, as a command handler would: on a conflict it reads the
 * new end and decides again. Other failures (a leader election outlasting the appender's patience) are retried too.
 */
async function contendedWriter(store: EventStore, streamId: string, acknowledged: Set<string>, running: () => boolean): Promise<void> {
  let version = 0;
  while (running()) {
    const events = [newEvent('Written', { version }), newEvent('Written', { version })];
    try {
      const result = await store.appendToStream(streamId, events, { expectedVersion: version });
      for (const event of events) acknowledged.add(event.metadata.eventId);
      version = result.streamVersion;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) await new Promise((resolve) => setTimeout(resolve, 200));
      version = await store.readStream(streamId, { fromVersion: version + 1 }).then(
        (newer) => newer.at(-1)?.streamVersion ?? version,
        () => version,
      );
    }
  }
}

async function untilAcknowledged(acknowledged: Set<string>, count: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (acknowledged.size < count) {
    if (Date.now() > deadline) throw new Error(`only ${acknowledged.size} of ${count} events acknowledged within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
