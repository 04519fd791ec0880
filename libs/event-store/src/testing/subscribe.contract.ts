import { eventually } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import type { EventStore, RecordedEvent, SubscribeOptions, Subscription } from '../event-store.port.js';
import { contentOf, newEvent, newEvents, type ContractContext } from './contract-fixtures.js';

export function subscribeContract(context: ContractContext): void {
  describe('subscribe', () => {
    it('delivers the events already stored, resolves caughtUp once they were handled, then delivers live appends in order', async () => {
      await context.store.appendToStream('daemon-a', newEvents(3), { expectedVersion: 'no_stream' });
      const seen = collector();
      const subscription = await context.store.subscribe({}, seen.handler);
      await subscription.caughtUp;
      expect(seen.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
      expect(subscription.lastHandledPosition).toBe(seen.events[2].globalPosition);
      const live = newEvents(2);
      await context.store.appendToStream('alarm-b', live, { expectedVersion: 'no_stream' });
      await eventually(() => expect(seen.events).toHaveLength(5), { what: 'the live appends' });
      expect(seen.events.slice(3).map(contentOf)).toEqual(live.map(contentOf));
      expect(seen.events).toEqual(await context.store.readAll());
      await subscription.stop();
    });

    it('resolves caughtUp at once on an empty store', async () => {
      const subscription = await context.store.subscribe({}, () => undefined);
      await subscription.caughtUp;
      expect(subscription.lastHandledPosition).toBe(0);
      await subscription.stop();
    });

    it('starts at fromPosition, inclusive, and delivers only the categories of its filter', async () => {
      await context.store.appendToStream('daemon-a', newEvents(2), { expectedVersion: 'any' });
      await context.store.appendToStream('alarm-b', newEvents(1), { expectedVersion: 'any' });
      await context.store.appendToStream('daemon-c', newEvents(2), { expectedVersion: 'any' });
      const all = await context.store.readAll();
      const seen = collector();
      const subscription = await context.store.subscribe({ fromPosition: all[1].globalPosition, filter: { categories: ['daemon'] } }, seen.handler);
      await subscription.caughtUp;
      expect(seen.events).toEqual([all[1], all[3], all[4]]);
      await subscription.stop();
    });

    it('passes over the other categories of a busy log and misses none of its own, live, whoever appends them', async () => {
      const writers = [context.store, ...(context.openAnother ? [await context.openAnother()] : [])];
      const seen = collector();
      const subscription = await context.store.subscribe({ filter: { categories: ['daemon'] } }, seen.handler);
      await subscription.caughtUp;
      for (let round = 1; round <= 6; round++) {
        const writer = writers[round % writers.length];
        await writer.appendToStream(`alarm-busy${round}`, newEvents(round * 50), { expectedVersion: 'any' });
        await writer.appendToStream('daemon-quiet', newEvents(1), { expectedVersion: 'any' });
        // Some reads end here, after the subscription's last event: the next one must still find the next event.
        if (round % 2 === 0) await eventually(() => expect(seen.events).toHaveLength(round), { what: `daemon event ${round}` });
      }
      await eventually(() => expect(seen.events).toHaveLength(6), { what: 'every daemon event' });
      expect(seen.events).toEqual(await context.store.readAll({ filter: { categories: ['daemon'] } }));
      await subscription.stop();
    });

    it('a durable subscription resumes after stop from its checkpoint, with no gap and no repeat', async () => {
      const { first, second, all } = await runTwiceAcrossRestart(context, async (subscription) => {
        await subscription.stop();
        return context.store;
      });
      expect(first.map((e) => e.globalPosition)).toEqual(all.slice(0, 3).map((e) => e.globalPosition));
      expect(second).toEqual(all.slice(3));
    });

    it('a durable subscription resumes after the store is closed (which stops it) and reopened', async () => {
      const { first, second, all } = await runTwiceAcrossRestart(context, () => context.reopen());
      expect(first.map((e) => e.globalPosition)).toEqual(all.slice(0, 3).map((e) => e.globalPosition));
      expect(second).toEqual(all.slice(3));
    });

    it('a durable subscription takes fromPosition the first time only, and keeps its own checkpoint', async () => {
      await context.store.appendToStream('daemon-a', newEvents(3), { expectedVersion: 'no_stream' });
      const all = await context.store.readAll();
      const firstRun = collector();
      const projector = await context.store.subscribe({ name: 'projector', fromPosition: all[1].globalPosition }, firstRun.handler);
      await projector.caughtUp;
      await projector.stop();
      expect(firstRun.events).toEqual(all.slice(1));
      await context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 3 });
      const secondRun = collector();
      const resumed = await context.store.subscribe({ name: 'projector', fromPosition: 1 }, secondRun.handler);
      const other = collector();
      const reactor = await context.store.subscribe({ name: 'reactor' }, other.handler);
      await Promise.all([resumed.caughtUp, reactor.caughtUp]);
      expect(secondRun.events.map((e) => e.streamVersion)).toEqual([4]);
      expect(other.events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
      await Promise.all([resumed.stop(), reactor.stop()]);
    });

    it('gives a throwing handler the same event again, with later events waiting behind it', async () => {
      await context.store.appendToStream('daemon-a', newEvents(3), { expectedVersion: 'no_stream' });
      const calls: number[] = [];
      const errors: [string, number, number][] = [];
      let failuresLeft = 2;
      const onHandlerError: SubscribeOptions['onHandlerError'] = (error, event, attempt) =>
        errors.push([(error as Error).message, event.streamVersion, attempt]);
      const subscription = await context.store.subscribe({ name: 'flaky', onHandlerError }, (event) => {
        calls.push(event.streamVersion);
        if (event.streamVersion === 2 && failuresLeft-- > 0) throw new Error('not yet');
      });
      await eventually(() => expect(calls).toEqual([1, 2, 2, 2, 3]), { what: 'the retried event, then the next' });
      expect(errors).toEqual([
        ['not yet', 2, 1],
        ['not yet', 2, 2],
      ]);
      await subscription.caughtUp;
      await subscription.stop();
    });

    it('delivers nothing after stop has returned', async () => {
      const stopped = collector();
      const subscription = await context.store.subscribe({ name: 'stopped' }, stopped.handler);
      await subscription.caughtUp;
      await subscription.stop();
      await context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'no_stream' });
      // A second subscription seeing the append is the barrier: by then a live first one would have seen it too.
      const witness = collector();
      const other = await context.store.subscribe({}, witness.handler);
      await eventually(() => expect(witness.events).toHaveLength(1), { what: 'the witness subscription' });
      await other.stop();
      expect(stopped.events).toEqual([]);
    });
  });
}

/**
 * Runs a durable subscription over 3 events, ends it with `restart` (which stops the subscription or closes
 * the store and gives the store to continue with), appends 2 more events, and subscribes again with the same name.
 */
async function runTwiceAcrossRestart(context: ContractContext, restart: (first: Subscription) => Promise<EventStore>) {
  await context.store.appendToStream('daemon-a', newEvents(2), { expectedVersion: 'no_stream' });
  await context.store.appendToStream('daemon-b', newEvents(1), { expectedVersion: 'no_stream' });
  const firstRun = collector();
  const first = await context.store.subscribe({ name: 'projector' }, firstRun.handler);
  await first.caughtUp;
  const store = await restart(first);
  await store.appendToStream('daemon-a', [newEvent(), newEvent()], { expectedVersion: 2 });
  const secondRun = collector();
  const second = await store.subscribe({ name: 'projector' }, secondRun.handler);
  await eventually(() => expect(secondRun.events.length).toBeGreaterThanOrEqual(2), { what: 'the events appended after the restart' });
  await second.caughtUp;
  await second.stop();
  return { first: firstRun.events, second: secondRun.events, all: await store.readAll() };
}

function collector(): { events: RecordedEvent[]; handler: (event: RecordedEvent) => void } {
  const events: RecordedEvent[] = [];
  return { events, handler: (event) => void events.push(event) };
}
