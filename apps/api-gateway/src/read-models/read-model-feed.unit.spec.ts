import { Streams, type Event } from '@daemonfleet/contracts';
import { clusterDecider } from '@daemonfleet/domain';
import { createMemoryEventStore, type MemoryEventStore, type RecordedEvent } from '@daemonfleet/event-store';
import { loadConfig } from '@daemonfleet/service-runtime';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { ReadModelBehindError, ReadModelFeed } from './read-model-feed.js';
import { ReadModels } from './read-models.js';

describe('ReadModelFeed', () => {
  let store: MemoryEventStore;
  let readModels: FaultyReadModels;
  let feed: ReadModelFeed;
  let logged: MockInstance<Logger['error']>;

  beforeEach(() => {
    logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    // Quick retries of a failing read model, so a test that heals one does not wait for the default backoff.
    store = createMemoryEventStore({ handlerRetry: { initialDelayMs: 5, maxDelayMs: 20 } });
    readModels = new FaultyReadModels();
    feed = new ReadModelFeed(store, loadConfig({ READ_MODEL_WAIT_MS: String(WAIT_MS) }), readModels);
  });

  afterEach(async () => {
    await feed.onApplicationShutdown();
    await store.close();
    vi.restoreAllMocks();
  });

  describe('fresh', () => {
    it('resolves at once on an empty store', async () => {
      await feed.onApplicationBootstrap();
      await expect(feed.fresh()).resolves.toBeUndefined();
    });

    it('resolves once the read models hold what was in the store before the gateway started', async () => {
      await createCluster('prod');
      await feed.onApplicationBootstrap();

      await feed.fresh();

      expect(readModels.clusters.get(clusterStream('prod'))).toMatchObject({ status: 'ACTIVE', clusterName: 'prod' });
    });

    it('reads its writes: a write acknowledged before the call is visible when it resolves', async () => {
      await feed.onApplicationBootstrap();
      for (const name of ['a', 'b', 'c']) {
        await createCluster(name);
        await feed.fresh();
        expect(readModels.clusters.get(clusterStream(name))).toMatchObject({ status: 'ACTIVE' });
      }
    });

    it('waits only for the store head as it was at call time, not for later writes', async () => {
      await feed.onApplicationBootstrap();
      await createCluster('prod');

      const freshness = feed.fresh(); // the head is read now: the write below comes after it
      readModels.failOn(clusterStream('broken'));
      await createCluster('broken');

      await expect(freshness).resolves.toBeUndefined();
      expect(readModels.clusters.get(clusterStream('prod'))).toMatchObject({ status: 'ACTIVE' });
    });

    it('rejects with SERVICE_UNAVAILABLE after readModelWaitMs when the read models cannot catch up', async () => {
      await feed.onApplicationBootstrap();
      readModels.failOn(clusterStream('broken'));
      await createCluster('broken');

      const started = performance.now();
      const failure = await feed.fresh().then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(failure).toBeInstanceOf(ReadModelBehindError);
      expect(failure).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: `read models are at position 0, behind 1, after ${WAIT_MS} ms` });
      expect(performance.now() - started).toBeGreaterThanOrEqual(WAIT_MS - 5);
    });

    it('logs each failure of the read model with the event', async () => {
      await feed.onApplicationBootstrap();
      readModels.failOn(clusterStream('broken'));
      await createCluster('broken');

      await expect(feed.fresh()).rejects.toBeInstanceOf(ReadModelBehindError);
      expect(logged).toHaveBeenCalledWith('read model failed on ClusterCreated at 1: Error: read model bug');
    });

    it('recovers once the read models catch up again', async () => {
      await feed.onApplicationBootstrap();
      readModels.failOn(clusterStream('broken'));
      await createCluster('broken');
      await expect(feed.fresh()).rejects.toBeInstanceOf(ReadModelBehindError);

      readModels.heal();
      await createCluster('prod');

      await expect(feed.fresh()).resolves.toBeUndefined();
      expect(readModels.clusters.get(clusterStream('broken'))).toMatchObject({ status: 'ACTIVE' });
      expect(readModels.clusters.get(clusterStream('prod'))).toMatchObject({ status: 'ACTIVE' });
    });

    it('lets many waiting queries through once the read models catch up', async () => {
      await feed.onApplicationBootstrap();
      readModels.failOn(clusterStream('slow'));
      await createCluster('slow');

      const waiting = Array.from({ length: 5 }, () => feed.fresh());
      readModels.heal();

      await expect(Promise.all(waiting)).resolves.toHaveLength(5);
    });
  });

  describe('checkCaughtUp', () => {
    it('passes once the read models have handled what the store held at start', async () => {
      await createCluster('prod');
      await feed.onApplicationBootstrap();

      await vi.waitFor(() => feed.checkCaughtUp());
    });

    it('fails while they are still catching up', async () => {
      readModels.failOn(clusterStream('broken'));
      await createCluster('broken');
      await feed.onApplicationBootstrap();

      await expect(feed.fresh()).rejects.toBeInstanceOf(ReadModelBehindError);
      expect(() => feed.checkCaughtUp()).toThrow('read models are still catching up (at position 0)');
    });
  });

  // Fixtures of this suite: real cluster events, written to the real in-memory store.
  let eventNumber = 0;
  async function createCluster(clusterName: string) {
    const events: Event[] = clusterDecider.decide({ type: 'CreateCluster', data: { scope, clusterName, tags: [], now } }, clusterDecider.initialState());
    const metadata = () => ({ eventId: `event-${++eventNumber}`, occurredAt: new Date(now).toISOString(), schemaVersion: 1 });
    await store.appendToStream(clusterStream(clusterName), events.map((e) => ({ ...e, metadata: metadata() })), { expectedVersion: 'no_stream' });
  }
});

// Fixtures last.

const WAIT_MS = 100;
const scope = { accountId: '123456789012', region: 'us-east-1' };
const now = 1_742_040_000_000;
const clusterStream = (name: string) => Streams.cluster(scope, name);

/** The real read models, except that the events of chosen streams make them fail until healed (a read-model bug). */
class FaultyReadModels extends ReadModels {
  private readonly failing = new Set<string>();

  failOn(streamId: string): void {
    this.failing.add(streamId);
  }

  heal(): void {
    this.failing.clear();
  }

  override apply(event: RecordedEvent): void {
    if (this.failing.has(event.streamId)) throw new Error('read model bug');
    super.apply(event);
  }
}
