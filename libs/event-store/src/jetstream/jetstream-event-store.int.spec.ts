import { randomUUID } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { describeWithNats, eventually, natsForTests, startNatsServer, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppendTooLargeError, WrongExpectedVersionError } from '../event-store.errors.js';
import type { EventStore, RecordedEvent } from '../event-store.port.js';
import { newEvent, newEvents } from '../testing/contract-fixtures.js';
import { eventStoreContract } from '../testing/event-store.contract.js';
import { connectJetStreamEventStore, type JetStreamEventStore, type JetStreamEventStoreOptions } from './jetstream-event-store.js';

/** Each test gets its own stream and subjects on the shared server. */
function isolatedOptions(servers: string): JetStreamEventStoreOptions {
  const id = randomUUID().replace(/-/g, '').slice(0, 12);
  return { servers, streamName: `T_${id}`, subjectPrefix: `t${id}.events`, handlerRetry: { initialDelayMs: 5, maxDelayMs: 50 }, ackWaitMs: 5_000 };
}

describeWithNats('JetStreamEventStore', () => {
  let nats: NatsForTests;
  let admin: NatsConnection;
  let jsm: JetStreamManager;
  beforeAll(async () => {
    nats = await natsForTests();
    admin = await connect({ servers: nats.url });
    jsm = await jetstreamManager(admin);
  });
  afterAll(async () => {
    await admin?.close();
    await nats?.dispose();
  });

  /** Opens stores on one isolated stream; `dispose` closes them and deletes the stream. */
  function storesOn(options: JetStreamEventStoreOptions) {
    const opened: JetStreamEventStore[] = [];
    const open = async () => {
      opened.push(await connectJetStreamEventStore(options));
      return opened[opened.length - 1];
    };
    const dispose = async () => {
      await Promise.all(opened.map((store) => store.close()));
      await jsm.streams.delete(options.streamName as string).catch(() => undefined);
    };
    return { open, dispose, opened };
  }

  eventStoreContract(
    'jetstream',
    async () => {
      const stores = storesOn(isolatedOptions(nats.url));
      const store = await stores.open();
      return {
        store,
        reopen: async () => {
          await stores.opened[stores.opened.length - 1].close();
          return stores.open();
        },
        openAnother: stores.open,
        dispose: stores.dispose,
      };
    },
    { propertyRuns: 10 },
  );

  describe('on JetStream', () => {
    let stores: ReturnType<typeof storesOn>;
    let options: JetStreamEventStoreOptions;
    let store: EventStore;
    beforeAll(async () => {
      options = isolatedOptions(nats.url);
      stores = storesOn(options);
      store = await stores.open();
    });
    afterAll(() => stores.dispose());
    const streamName = () => options.streamName as string;

    it('stores one message per append, and gives the last event of message seq the position seq * 1000', async () => {
      await store.appendToStream('daemon-p', newEvents(3), { expectedVersion: 'no_stream' });
      const { seq } = (await jsm.streams.getMessage(streamName(), { last_by_subj: `${options.subjectPrefix}.daemon.p` }))!;
      await store.appendToStream('daemon-p', newEvents(1), { expectedVersion: 3 });
      const events = await store.readStream('daemon-p');
      expect(events.map((e) => e.globalPosition)).toEqual([seq * 1000 - 2, seq * 1000 - 1, seq * 1000, (seq + 1) * 1000]);
      const info = await jsm.streams.info(streamName());
      expect(await store.headPosition()).toBe(info.state.last_seq * 1000);
      expect(info.state.messages).toBe(seq + 1);
    });

    it('refuses an append whose message would exceed the server max_payload, and stores nothing', async () => {
      const events = [0, 1, 2].map((i) => newEvent('BigThingHappened', { i, blob: 'x'.repeat(400 * 1024) }));
      const head = await store.headPosition();
      const error = await store.appendToStream('daemon-big', events, { expectedVersion: 'any' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppendTooLargeError);
      expect((error as Error).message).toMatch(/max_payload/);
      expect(await store.headPosition()).toBe(head);
      expect(await store.readStream('daemon-big')).toEqual([]);
    });

    it('re-checks a stale cached version against the server instead of reporting a false conflict', async () => {
      const other = await stores.open();
      await store.appendToStream('daemon-c', newEvents(1), { expectedVersion: 'no_stream' });
      await other.appendToStream('daemon-c', newEvents(1), { expectedVersion: 1 });
      expect((await store.appendToStream('daemon-c', newEvents(1), { expectedVersion: 2 })).streamVersion).toBe(3);
      await expect(other.appendToStream('daemon-c', newEvents(1), { expectedVersion: 2 })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    });

    it('deduplicates an append retried through another connection within the duplicate window', async () => {
      const other = await stores.open();
      const events = newEvents(2);
      const first = await store.appendToStream('daemon-d', events, { expectedVersion: 'no_stream', appendId: 'retried-append' });
      expect(await other.appendToStream('daemon-d', events, { expectedVersion: 'no_stream', appendId: 'retried-append' })).toEqual(first);
      expect(await other.readStream('daemon-d')).toHaveLength(2);
    });

    it('reads the tail of a stream from its cached last message with the same result as a cold read', async () => {
      for (let v = 0; v < 20; v++) await store.appendToStream('daemon-t', newEvents(2), { expectedVersion: v * 2 });
      const cold = await stores.open();
      for (const fromVersion of [1, 39, 40, 41]) expect(await store.readStream('daemon-t', { fromVersion })).toEqual(await cold.readStream('daemon-t', { fromVersion }));
    });

    it('reads a stream page by page from where the last page stopped, with the same result as one read', async () => {
      for (let v = 0; v < 30; v++) await store.appendToStream('daemon-pages', newEvents(3), { expectedVersion: v * 3 });
      const paged: RecordedEvent[] = [];
      // Pages of 7 events end inside messages of 3, and a page starts at the version after the last it returned.
      let page = await store.readStream('daemon-pages', { maxCount: 7 });
      while (page.length > 0) {
        paged.push(...page);
        page = await store.readStream('daemon-pages', { fromVersion: page.at(-1)!.streamVersion + 1, maxCount: 7 });
      }
      expect(paged).toEqual(await (await stores.open()).readStream('daemon-pages'));
      // An earlier page after a later one still starts where it must.
      expect(await store.readStream('daemon-pages', { fromVersion: 2, maxCount: 2 })).toEqual(paged.slice(1, 3));
    });

    it('keeps a durable subscription in a durable consumer named after it, filtered on the server for one category', async () => {
      const subscription = await store.subscribe({ name: 'fleet projector', filter: { categories: ['daemon'] } }, () => undefined);
      await subscription.caughtUp;
      await subscription.stop();
      const names: string[] = [];
      for await (const info of jsm.consumers.list(streamName())) names.push(info.name);
      const consumer = await jsm.consumers.info(streamName(), names.find((n) => n.startsWith('fleet_projector_'))!);
      expect(consumer.config.filter_subject).toBe(`${options.subjectPrefix}.daemon.>`);
      expect(consumer.config.durable_name).toBe(consumer.name);
    });

    it('uses a connection it is given and leaves it open on close; checkHealth tells why it fails', async () => {
      const connection = await connect({ servers: nats.url });
      const borrowed = await connectJetStreamEventStore({ ...options, connection });
      await borrowed.checkHealth();
      await borrowed.close();
      expect(connection.isClosed()).toBe(false);
      const doomed = isolatedOptions(nats.url);
      const unhealthy = await connectJetStreamEventStore({ ...doomed, connection });
      await jsm.streams.delete(doomed.streamName as string);
      await expect(unhealthy.checkHealth()).rejects.toThrow(/unreachable/);
      await connection.close();
      await expect(unhealthy.checkHealth()).rejects.toThrow(/connection is closed/);
      await unhealthy.close();
    });
  });
});

describeWithNats(
  'JetStreamEventStore across nats-server restarts',
  () => {
    it.each([
      ['stopped', 'stop'],
      ['killed', 'kill'],
    ] as const)('a durable subscription resumes after the server was %s and started again on its store', async (_how, how) => {
      const server = await startNatsServer();
      const options = isolatedOptions(server.url);
      const seen: RecordedEvent[] = [];
      let store = await connectJetStreamEventStore(options);
      let restarted: Awaited<ReturnType<typeof startNatsServer>> | undefined;
      try {
        await store.appendToStream('daemon-r', newEvents(3), { expectedVersion: 'no_stream' });
        const first = await store.subscribe({ name: 'survivor' }, (event) => void seen.push(event));
        await first.caughtUp;
        await store.close();
        await server[how]();
        restarted = await startNatsServer({ port: server.port, storeDir: server.storeDir });
        store = await connectJetStreamEventStore(options);
        await store.appendToStream('daemon-r', newEvents(2), { expectedVersion: 3 });
        const second = await store.subscribe({ name: 'survivor' }, (event) => void seen.push(event));
        await eventually(() => expect(seen[seen.length - 1]?.streamVersion).toBe(5), { timeoutMs: 15_000, what: 'the events appended after the restart' });
        await second.stop();
        const versions = seen.map((e) => e.streamVersion);
        // At least once, in order, no gap: the second run is a contiguous range ending at 5 that starts no later
        // than 4. A stopped server kept the acks, so nothing repeats; a killed one may have lost the last acks.
        expect(versions.slice(0, 3)).toEqual([1, 2, 3]);
        const secondRun = versions.slice(3);
        expect(secondRun).toEqual(Array.from({ length: 6 - secondRun[0] }, (_, i) => secondRun[0] + i));
        expect(secondRun[0]).toBeLessThanOrEqual(4);
        if (how === 'stop') expect(secondRun).toEqual([4, 5]);
      } finally {
        await store.close();
        await (restarted ?? server).dispose();
      }
    });

    it('keeps its subscriptions running when the server restarts under an open store', async () => {
      const server = await startNatsServer();
      const store = await connectJetStreamEventStore({ ...isolatedOptions(server.url), onBackgroundError: () => undefined });
      let restarted: Awaited<ReturnType<typeof startNatsServer>> | undefined;
      try {
        await store.appendToStream('daemon-r', newEvents(2), { expectedVersion: 'no_stream' });
        const durable: RecordedEvent[] = [];
        const ephemeral: RecordedEvent[] = [];
        const subscriptions = await Promise.all([
          store.subscribe({ name: 'durable' }, (event) => void durable.push(event)),
          store.subscribe({}, (event) => void ephemeral.push(event)),
        ]);
        await Promise.all(subscriptions.map((s) => s.caughtUp));
        await server.stop();
        restarted = await startNatsServer({ port: server.port, storeDir: server.storeDir });
        // The client reconnects on its own; until then appends fail and are retried here, as a caller would.
        await eventually(() => store.appendToStream('daemon-r', newEvents(1), { expectedVersion: 2, appendId: 'after-restart' }), {
          timeoutMs: 15_000,
          what: 'an append once the client has reconnected',
        });
        for (const seen of [durable, ephemeral])
          await eventually(() => expect(seen.map((e) => e.streamVersion)).toEqual([1, 2, 3]), { what: 'the append after the restart' });
        await Promise.all(subscriptions.map((s) => s.stop()));
      } finally {
        await store.close();
        await (restarted ?? server).dispose();
      }
    });
  },
  { needsBinary: true },
);
