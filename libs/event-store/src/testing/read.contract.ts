import { describe, expect, it } from 'vitest';
import { EventStoreClosedError } from '../event-store.errors.js';
import type { EventStore, NewEvent } from '../event-store.port.js';
import { contentOf, expectStrictlyIncreasing, newEvent, newEvents, rejectionOf, type ContractContext } from './contract-fixtures.js';

export function readContract(context: ContractContext): void {
  describe('readStream', () => {
    it('reads an unknown stream as empty', async () => {
      await context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'any' });
      expect(await context.store.readStream('daemon-b')).toEqual([]);
    });

    it('reads from a version, inclusive, and at most maxCount events', async () => {
      const events = newEvents(3);
      await context.store.appendToStream('daemon-a', events.slice(0, 2), { expectedVersion: 'no_stream' });
      await context.store.appendToStream('daemon-a', events.slice(2), { expectedVersion: 2 });
      expect((await context.store.readStream('daemon-a', { fromVersion: 2 })).map(contentOf)).toEqual(events.slice(1).map(contentOf));
      expect((await context.store.readStream('daemon-a', { fromVersion: 2, maxCount: 1 })).map((e) => e.streamVersion)).toEqual([2]);
      expect(await context.store.readStream('daemon-a', { fromVersion: 4 })).toEqual([]);
    });

    it('reads only the stream itself, not streams whose ids extend it', async () => {
      for (const streamId of ['daemon-a.b', 'daemon-a', 'daemon-ab', 'daemonX-a', 'daemon-a.b.c'])
        await context.store.appendToStream(streamId, [newEvent('Appended', { streamId })], { expectedVersion: 'any' });
      const stored = await context.store.readStream('daemon-a');
      expect(stored.map((e) => e.data)).toEqual([{ streamId: 'daemon-a' }]);
    });
  });

  describe('readAll', () => {
    it('reads the events of every stream in global order', async () => {
      const appended = await appendInterleaved(context.store);
      const all = await context.store.readAll();
      expect(all.map(contentOf)).toEqual(appended.map(({ event }) => contentOf(event)));
      expect(all.map((e) => e.streamId)).toEqual(appended.map(({ streamId }) => streamId));
      expectStrictlyIncreasing(all.map((e) => e.globalPosition));
      for (const streamId of ['daemon-a', 'daemonDeployment-b', 'alarm-c'])
        expect(all.filter((e) => e.streamId === streamId)).toEqual(await context.store.readStream(streamId));
    });

    it('reads from a position, inclusive', async () => {
      await appendInterleaved(context.store);
      const all = await context.store.readAll();
      expect(await context.store.readAll({ fromPosition: all[3].globalPosition })).toEqual(all.slice(3));
      expect(await context.store.readAll({ fromPosition: all[3].globalPosition + 1 })).toEqual(all.slice(4));
      expect(await context.store.readAll({ fromPosition: all[all.length - 1].globalPosition + 1 })).toEqual([]);
    });

    it('reads at most maxCount events, and pages through everything', async () => {
      await appendInterleaved(context.store);
      const all = await context.store.readAll();
      expect(await context.store.readAll({ maxCount: 2 })).toEqual(all.slice(0, 2));
      const paged = [];
      for (let page = await context.store.readAll({ maxCount: 3 }); page.length > 0; ) {
        paged.push(...page);
        page = await context.store.readAll({ fromPosition: page[page.length - 1].globalPosition + 1, maxCount: 3 });
      }
      expect(paged).toEqual(all);
    });

    it('reads at most 1000 events when no maxCount is given', async () => {
      await context.store.appendToStream('daemon-a', newEvents(1000), { expectedVersion: 'no_stream' });
      await context.store.appendToStream('daemon-a', newEvents(200), { expectedVersion: 1000 });
      const all = await context.store.readAll();
      expect(all).toHaveLength(1000);
      expect(all[999].streamVersion).toBe(1000);
    });

    it('filters by category', async () => {
      const appended = await appendInterleaved(context.store);
      const ofDaemons = await context.store.readAll({ filter: { categories: ['daemon'] } });
      expect(ofDaemons.map(contentOf)).toEqual(appended.filter((a) => a.streamId === 'daemon-a').map(({ event }) => contentOf(event)));
      const twoCategories = await context.store.readAll({ filter: { categories: ['daemon', 'alarm'] } });
      expect(twoCategories.map(contentOf)).toEqual(
        appended.filter((a) => a.streamId !== 'daemonDeployment-b').map(({ event }) => contentOf(event)),
      );
      const fromSecond = await context.store.readAll({ fromPosition: ofDaemons[1].globalPosition, maxCount: 1, filter: { categories: ['daemon'] } });
      expect(fromSecond).toEqual([ofDaemons[1]]);
      expect(await context.store.readAll({ filter: { categories: ['nothing'] } })).toEqual([]);
    });
  });

  describe('headPosition, checkHealth and close', () => {
    it('gives 0 for an empty store, then the position of the last event', async () => {
      expect(await context.store.headPosition()).toBe(0);
      await appendInterleaved(context.store);
      const last = await context.store.appendToStream('daemon-z', newEvents(2), { expectedVersion: 'no_stream' });
      expect(await context.store.headPosition()).toBe(last.globalPosition);
      const all = await context.store.readAll();
      expect(all[all.length - 1].globalPosition).toBe(last.globalPosition);
    });

    it('is healthy while open, and refuses every call with EventStoreClosedError once closed', async () => {
      await context.store.checkHealth();
      const store = context.store;
      await store.close();
      await store.close();
      for (const call of [
        () => store.checkHealth(),
        () => store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'any' }),
        () => store.readStream('daemon-a'),
        () => store.readAll(),
        () => store.headPosition(),
        () => store.subscribe({}, () => undefined),
      ])
        expect(await rejectionOf(call())).toBeInstanceOf(EventStoreClosedError);
    });
  });
}

/** Appends 9 events to three streams of three categories, interleaved, some appends with two events. */
async function appendInterleaved(store: EventStore): Promise<{ streamId: string; event: NewEvent }[]> {
  const plan: [string, number][] = [
    ['daemon-a', 2],
    ['daemonDeployment-b', 1],
    ['alarm-c', 2],
    ['daemon-a', 1],
    ['daemonDeployment-b', 2],
    ['alarm-c', 1],
  ];
  const appended: { streamId: string; event: NewEvent }[] = [];
  for (const [streamId, count] of plan) {
    const events = newEvents(count, 'Interleaved');
    await store.appendToStream(streamId, events, { expectedVersion: 'any' });
    appended.push(...events.map((event) => ({ streamId, event })));
  }
  return appended;
}
