import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { serialize } from 'node:v8';
import { Streams, type Event } from '@daemonfleet/contracts';
import { clusterDecider } from '@daemonfleet/domain';
import { createMemoryEventStore, type EventStore, type MemoryEventStore, type RecordedEvent, type SubscribeOptions } from '@daemonfleet/event-store';
import { eventSchemas, loadConfig, withCurrentEventSchemas } from '@daemonfleet/service-runtime';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { activeInstance, daemonTask, providerCreated, SCOPE, T0 } from '../testing/fleet.fixtures.js';
import { ReadModelFeed } from './read-model-feed.js';
import { foldStore } from './read-model-rebuild.js';
import { READ_MODEL_FORMAT, ReadModelSnapshots } from './read-model-snapshots.js';
import { ReadModels } from './read-models.js';

/**
 * The read models' life beyond one start: a snapshot in DATA_DIR taken up at the next start (and refused when it is
 * not of this store or this code), the rebuild from the store while events keep coming, and `foldStore`, which
 * `npm run rebuild-projections` runs, giving exactly what the feed holds.
 */
describe('ReadModelFeed snapshots and rebuilds', () => {
  let dataDir: string;
  let raw: MemoryEventStore;
  let store: EventStore;
  const feeds: ReadModelFeed[] = [];
  /** Where each subscription of the store started: a feed taking up a snapshot starts after it. */
  let subscribedFrom: number[];

  const config = (env: Record<string, string> = {}) => loadConfig({ DATA_DIR: dataDir, READ_MODEL_WAIT_MS: '5000', ...env });
  const startFeed = async (env: Record<string, string> = {}, readModels = new ReadModels()) => {
    const feed = new ReadModelFeed(store, config(env), readModels);
    feeds.push(feed);
    await feed.onApplicationBootstrap();
    await vi.waitFor(() => feed.checkCaughtUp());
    return { feed, readModels };
  };
  const snapshotPath = () => ReadModelSnapshots.of(config()).path;

  beforeEach(() => {
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    dataDir = mkdtempSync(join(tmpdir(), 'read-model-feed-'));
    raw = createMemoryEventStore();
    subscribedFrom = [];
    // The store as the gateway reads it (upcast), recording where each subscription starts.
    const upcasting = withCurrentEventSchemas(raw);
    store = Object.assign(Object.create(upcasting) as EventStore, {
      subscribe: (options: SubscribeOptions, handler: (event: RecordedEvent) => Promise<void> | void) => {
        subscribedFrom.push(options.fromPosition ?? 1);
        return upcasting.subscribe(options, handler);
      },
    });
  });

  afterEach(async () => {
    for (const feed of feeds.splice(0)) await feed.onApplicationShutdown();
    await raw.close();
    rmSync(dataDir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  describe('snapshots', () => {
    it('writes one once PROJECTION_SNAPSHOT_EVERY events are folded, and the next start takes it up instead of folding the store again', async () => {
      await seedFleet(8);
      const first = await startFeed({ PROJECTION_SNAPSHOT_EVERY: '10' });
      await vi.waitFor(() => expect(existsSync(snapshotPath())).toBe(true));
      await first.feed.onApplicationShutdown();
      const head = await store.headPosition();

      subscribedFrom = [];
      const second = await startFeed({ PROJECTION_SNAPSHOT_EVERY: '10' });
      expect(second.feed.status()).toMatchObject({ position: head, caughtUp: true, startedFrom: { source: 'snapshot', position: head } });
      expect(subscribedFrom).toEqual([head + 1]);
      expect(second.readModels.content()).toEqual((await foldStore(store)).readModels.content());
    });

    it('folds on from the snapshot: events written after it are in the read models of the next start', async () => {
      await seedFleet(4);
      await (await startFeed({ PROJECTION_SNAPSHOT_EVERY: '1' })).feed.onApplicationShutdown();
      await createCluster('later');

      const { feed, readModels } = await startFeed({ PROJECTION_SNAPSHOT_EVERY: '1' });
      expect(feed.status().startedFrom.source).toBe('snapshot');
      expect(readModels.clusters.get(Streams.cluster(SCOPE, 'later'))).toMatchObject({ status: 'ACTIVE' });
      expect(readModels.content()).toEqual((await foldStore(store)).readModels.content());
    });

    it('rebuilds from the store when the snapshot is missing, unreadable, of another store, or written by other folds', async () => {
      await seedFleet(4);
      const expected = (await foldStore(store)).readModels.content();
      const head = await store.headPosition();
      const snapshots = ReadModelSnapshots.of(config());
      const valid = { position: head, eventId: (await store.readAll({ fromPosition: head }))[0].metadata.eventId, content: expected };

      const cases: [string, () => Promise<void>][] = [
        ['missing', () => snapshots.remove()],
        ['unreadable', async () => writeFileSync(snapshots.path, 'not a snapshot')],
        ['of another store', () => snapshots.save({ ...valid, eventId: 'an-event-of-another-store' })],
        ['beyond this store', () => snapshots.save({ ...valid, position: head + 1 })],
        // Of this store, but written by code whose folds differ (READ_MODEL_FORMAT), or that read other event schemas.
        ['of other folds', async () => writeFileSync(snapshots.path, serialize({ ...valid, format: READ_MODEL_FORMAT + 1, schemas: JSON.stringify(eventSchemas.versions()) }))],
        ['of other event schemas', async () => writeFileSync(snapshots.path, serialize({ ...valid, format: READ_MODEL_FORMAT, schemas: '{"DeploymentStarted":1}' }))],
      ];
      mkdirSync(dirname(snapshots.path), { recursive: true });
      // The control: the same snapshot, written as this code writes it, is taken up.
      await snapshots.save(valid);
      expect((await startFeed({ PROJECTION_SNAPSHOT_EVERY: '1000' })).feed.status().startedFrom).toEqual({ source: 'snapshot', position: head });
      for (const [what, prepare] of cases) {
        await prepare();
        subscribedFrom = [];
        const { feed, readModels } = await startFeed({ PROJECTION_SNAPSHOT_EVERY: '1000' });
        expect({ what, from: subscribedFrom, status: feed.status() }).toMatchObject({ what, from: [1], status: { position: head, startedFrom: { source: 'store' } } });
        expect(readModels.content()).toEqual(expected);
        await feed.onApplicationShutdown();
      }
    });

    it('takes none up and writes none with PROJECTION_SNAPSHOT_EVERY=0', async () => {
      await seedFleet(4);
      const { feed } = await startFeed({ PROJECTION_SNAPSHOT_EVERY: '1' });
      await vi.waitFor(() => expect(existsSync(snapshotPath())).toBe(true));
      await feed.onApplicationShutdown();
      subscribedFrom = [];
      await startFeed({ PROJECTION_SNAPSHOT_EVERY: '0' });
      expect(subscribedFrom).toEqual([1]);
    });
  });

  describe('rebuild', () => {
    it('drops the snapshot and rebuilds from the first event: the read models are what folding the store gives', async () => {
      await seedFleet(6);
      const { feed, readModels } = await startFeed({ PROJECTION_SNAPSHOT_EVERY: '1' });
      await vi.waitFor(() => expect(existsSync(snapshotPath())).toBe(true));
      const before = structuredClone(readModels.content());

      const report = await feed.rebuild();
      expect(report).toMatchObject({ position: await store.headPosition(), eventsFolded: await store.headPosition() });
      expect(readModels.content()).toEqual(before);
      expect(readModels.content()).toEqual((await foldStore(store)).readModels.content());
      expect(feed.status()).toMatchObject({ rebuilding: false, lastRebuild: report });
      // The snapshot went with them; the rebuilt ones write theirs as events come (every event here).
      await createCluster('after-rebuild');
      await feed.fresh();
      await vi.waitFor(() => expect(existsSync(snapshotPath())).toBe(true));
    });

    it('throws the old read models away: what a fold of the store would not give does not survive a rebuild', async () => {
      await seedFleet(2);
      const { feed, readModels } = await startFeed();
      // Damage the live read models, as a read-model bug would have.
      readModels.clusters.restore({ states: new Map([['cluster-made-up', { status: 'NONE' } as never]]), versions: new Map() });
      await feed.rebuild();
      expect(readModels.clusters.get('cluster-made-up')).toBeUndefined();
      expect(readModels.content()).toEqual((await foldStore(store)).readModels.content());
    });

    it('keeps answering while it rebuilds under a stream of writes, never from half-built read models, and misses none of the writes', async () => {
      await seedFleet(20);
      const { feed, readModels } = await startFeed();
      let writing = true;
      let written = 0;
      const writer = (async () => {
        while (writing) {
          await createCluster(`busy-${++written}`);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      const observed: number[] = [];
      let reading = true;
      const reader = (async () => {
        while (reading) {
          await feed.fresh();
          // Every cluster written before fresh() resolved is there, and the fleet never disappears.
          observed.push([...readModels.clusters.values()].length);
          expect([...readModels.capacityProviders.values()]).toHaveLength(1);
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const reports = await Promise.all([feed.rebuild(), feed.rebuild()]);
      expect(reports[1]).toBe(reports[0]);
      await feed.rebuild();
      await new Promise((resolve) => setTimeout(resolve, 20));
      writing = false;
      await writer;
      reading = false;
      await reader;
      await feed.fresh();

      expect(observed.length).toBeGreaterThan(5);
      expect(observed).toEqual([...observed].sort((a, b) => a - b));
      expect(readModels.clusters.get(Streams.cluster(SCOPE, `busy-${written}`))).toMatchObject({ status: 'ACTIVE' });
      expect(readModels.content()).toEqual((await foldStore(store)).readModels.content());
    });

    it('tells the listeners of an event the live read models stopped before, from the rebuilt ones', async () => {
      await seedFleet(2);
      const during = Streams.cluster(SCOPE, 'during');
      // The live feed holds its handler on that event until released, then stops without folding it.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const subscribe = store.subscribe.bind(store);
      let subscriptions = 0;
      vi.spyOn(store, 'subscribe').mockImplementation((options, handler) =>
        subscribe(options, ++subscriptions === 1 ? async (event) => (event.streamId === during ? held.then(() => handler(event)) : handler(event)) : handler),
      );
      const { feed, readModels } = await startFeed();
      const seen: string[] = [];
      feed.onEvent((event) => seen.push(event.streamId));
      const rebuilt = feed.rebuild();
      await createCluster('during');
      setTimeout(release, 50);
      await rebuilt;
      expect(readModels.clusters.get(during)).toMatchObject({ status: 'ACTIVE' });
      expect(seen).toContain(during);
      await createCluster('after');
      await feed.fresh();
      expect(seen).toContain(Streams.cluster(SCOPE, 'after'));
    });

    it('leaves the live read models as they were when the store cannot be read, and rebuilds on the next try', async () => {
      await seedFleet(2);
      const { feed, readModels } = await startFeed();
      const before = structuredClone(readModels.content());
      const subscribe = vi.spyOn(store, 'subscribe').mockRejectedValueOnce(new Error('store unavailable'));
      await expect(feed.rebuild()).rejects.toThrow('store unavailable');
      expect(readModels.content()).toEqual(before);
      expect(feed.status().rebuilding).toBe(false);
      await createCluster('still-followed');
      await feed.fresh();
      expect(readModels.clusters.get(Streams.cluster(SCOPE, 'still-followed'))).toMatchObject({ status: 'ACTIVE' });
      subscribe.mockRestore();
      await expect(feed.rebuild()).resolves.toMatchObject({ position: await store.headPosition() });
    });

    it('ends a rebuild under way when the gateway stops', async () => {
      await seedFleet(2);
      const { feed } = await startFeed();
      const rebuilt = feed.rebuild();
      await feed.onApplicationShutdown();
      await expect(rebuilt).rejects.toThrow('the gateway is stopping');
      await expect(feed.rebuild()).rejects.toThrow('the gateway is stopping');
    });
  });

  it('foldStore, in pages, holds what the feed holds', async () => {
    await seedFleet(12);
    const { readModels } = await startFeed();
    const folded = await foldStore(store, new ReadModels(), 7);
    expect(folded.eventsFolded).toBe(await store.headPosition());
    expect(folded.snapshot).toMatchObject({ position: await store.headPosition() });
    expect(folded.readModels.content()).toEqual(readModels.content());
    expect(readdirSync(dataDir)).toEqual([]);
  });

  // Fixtures: a cluster with a provider of `instances` active instances running a daemon task and an app task each.
  let eventNumber = 0;
  async function append(streamId: string, events: readonly Event[]) {
    const metadata = () => ({ eventId: `event-${++eventNumber}`, occurredAt: new Date(T0).toISOString(), schemaVersion: 1 });
    await raw.appendToStream(streamId, events.map((event) => ({ ...event, metadata: metadata() })), { expectedVersion: 'any' });
  }
  async function createCluster(clusterName: string) {
    await append(Streams.cluster(SCOPE, clusterName), clusterDecider.decide({ type: 'CreateCluster', data: { scope: SCOPE, clusterName, tags: [], now: T0 } }, clusterDecider.initialState()));
  }
  async function seedFleet(instances: number) {
    await createCluster('prod');
    const provider = Streams.capacityProvider(SCOPE, 'mi-a');
    await append(provider, [providerCreated('mi-a')]);
    for (let n = 1; n <= instances; n++) await append(provider, activeInstance(n, 'mi-a', { daemons: [daemonTask('monitor', '1')], services: ['web'] }));
  }
});
