import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, errors, type NatsConnection } from '@nats-io/transport-node';
import { describeWithNats, natsForTests, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { serialiseForAppend } from '../limits.js';
import { newEvents } from '../testing/contract-fixtures.js';
import { JetStreamAppender } from './jetstream-appender.js';
import { connectJetStreamEventStore } from './jetstream-event-store.js';
import { JetStreamNaming } from './jetstream-naming.js';
import { ensureEventStream } from './jetstream-stream-setup.js';
import { StreamVersionCache } from './stream-version-cache.js';

/**
 * Appends whose acknowledgement is lost: the publish is stored, but the appender is told it timed out (as when the
 * stream's leader dies after storing it). Publishing again must never store the append twice.
 */
describeWithNats('JetStreamAppender after a lost acknowledgement', () => {
  let nats: NatsForTests;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let naming: JetStreamNaming;
  beforeAll(async () => {
    nats = await natsForTests();
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.dispose();
  });
  beforeEach(async () => {
    const id = randomUUID().replace(/-/g, '').slice(0, 12);
    naming = new JetStreamNaming(`A_${id}`, `a${id}.events`);
    await ensureEventStream(jsm, naming, { replicas: 1, duplicateWindowMs: 120_000 });
    return () => jsm.streams.delete(naming.streamName).then(() => undefined);
  });

  /** An appender whose first `lost` publishes are stored but answered with a timeout; `between` runs after each. */
  function appenderLosingAcks(lost: number, between: () => Promise<void> = async () => undefined) {
    const js = jetstream(nc);
    let left = lost;
    const losing = {
      publish: async (...args: Parameters<JetStreamClient['publish']>) => {
        const ack = await js.publish(...args);
        if (left-- <= 0) return ack;
        await between();
        throw new errors.TimeoutError();
      },
    } as unknown as JetStreamClient;
    return new JetStreamAppender(losing, jsm, naming, new StreamVersionCache(), () => 1024 * 1024, 120_000);
  }
  const request = (streamId: string, count: number, expectedVersion: number | 'any') => ({
    streamId,
    serialised: serialiseForAppend(streamId, newEvents(count)),
    expectedVersion,
    appendId: undefined,
  });
  const messagesOf = async () => (await jsm.streams.info(naming.streamName)).state.messages;

  it('publishes again on the same tail and answers with the message stored the first time', async () => {
    const result = await appenderLosingAcks(2).append(request('daemon-lost', 2, 0));
    expect(result).toEqual({ streamVersion: 2, globalPosition: 1000 });
    expect(await messagesOf()).toBe(1);
  });

  it('finds its own message when another append followed it before the retry', async () => {
    const other = new JetStreamAppender(jetstream(nc), jsm, naming, new StreamVersionCache(), () => 1024 * 1024, 120_000);
    const appender = appenderLosingAcks(1, async () => {
      await other.append(request('daemon-followed', 1, 'any'));
    });
    const result = await appender.append(request('daemon-followed', 2, 'any'));
    expect(result).toEqual({ streamVersion: 2, globalPosition: 1000 });
    expect(await messagesOf()).toBe(2);
  });

  it('answers a caller retrying with its appendId and any, after other appends, with the first result', async () => {
    const store = await connectJetStreamEventStore({ servers: nats.url, streamName: naming.streamName, subjectPrefix: naming.subjectPrefix });
    try {
      const events = newEvents(2);
      const first = await store.appendToStream('metric-m', events, { expectedVersion: 'any', appendId: 'put-1' });
      await store.appendToStream('metric-m', newEvents(1), { expectedVersion: 'any' });
      await store.appendToStream('metric-m', newEvents(1), { expectedVersion: 'any', appendId: 'put-2' });
      expect(await store.appendToStream('metric-m', events, { expectedVersion: 'any', appendId: 'put-1' })).toEqual(first);
      expect((await store.readStream('metric-m')).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
    } finally {
      await store.close();
    }
  });
});
