import type { Event } from '@daemonfleet/contracts';
import {
  createMemoryEventStore,
  type AppendOptions,
  type EventStore,
  type NewEvent,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@daemonfleet/event-store';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConcurrentModificationError, EventSourcedAggregates, type CommandContext, type DeciderOf } from './event-sourced-aggregates.js';

describe('EventSourcedAggregates', () => {
  describe('load', () => {
    it('folds every event of the stream, with its version and the global position of its last event', async () => {
      const { store } = recordingStore();
      await store.appendToStream(otherStream, [stored(incremented(100))], { expectedVersion: 'any' });
      await store.appendToStream(counter, [stored(incremented(2)), stored(incremented(3))], { expectedVersion: 'any' });

      expect(await aggregatesOn(store).load(counter)).toEqual({ state: { count: 5, changes: 2 }, version: 2, position: 3 });
    });

    it('answers the initial state at version 0 for a stream with no events', async () => {
      const { store } = recordingStore();
      expect(await aggregatesOn(store).load(counter)).toEqual({ state: { count: 0, changes: 0 }, version: 0, position: 0 });
    });

    it('reads only the events appended since the cached version on a second load', async () => {
      const { store, reads } = recordingStore();
      await store.appendToStream(counter, [stored(incremented(1)), stored(incremented(2)), stored(incremented(3))], { expectedVersion: 0 });
      const aggregates = aggregatesOn(store);
      await aggregates.load(counter);
      await store.appendToStream(counter, [stored(incremented(10)), stored(incremented(20))], { expectedVersion: 3 });

      const second = await aggregates.load(counter);

      expect(reads).toEqual([
        { streamId: counter, fromVersion: 1, returned: 3 },
        { streamId: counter, fromVersion: 4, returned: 2 },
      ]);
      expect(second).toEqual({ state: { count: 36, changes: 5 }, version: 5, position: 5 });
    });

    it('reads the whole stream again once the stream is forgotten', async () => {
      const { store, reads } = recordingStore();
      await store.appendToStream(counter, [stored(incremented(1)), stored(incremented(2))], { expectedVersion: 0 });
      const aggregates = aggregatesOn(store);
      await aggregates.load(counter);

      aggregates.forget(counter);
      const again = await aggregates.load(counter);

      expect(reads.map((r) => r.fromVersion)).toEqual([1, 1]);
      expect(again).toEqual({ state: { count: 3, changes: 2 }, version: 2, position: 2 });
    });
  });

  describe('handle', () => {
    it('appends the decided events with the expected version and answers the new state, version and position', async () => {
      const { store, appends } = recordingStore();
      await store.appendToStream(otherStream, [stored(incremented(100))], { expectedVersion: 'any' });
      const aggregates = aggregatesOn(store);

      const first = await aggregates.handle(counter, increment(2), context);
      const second = await aggregates.handle(counter, increment(5), context);

      expect(appends.map((a) => [a.streamId, a.options.expectedVersion])).toEqual([
        [otherStream, 'any'],
        [counter, 0],
        [counter, 1],
      ]);
      expect(first).toEqual({ state: { count: 2, changes: 1 }, version: 1, position: 2, newEvents: [incremented(2)] });
      expect(second).toEqual({ state: { count: 7, changes: 2 }, version: 2, position: 3, newEvents: [incremented(5)] });
    });

    it('stores each event with its metadata: a fresh event id, occurredAt from the context, correlation, causation, schema 1', async () => {
      const { store } = recordingStore();
      const aggregates = aggregatesOn(store, { eventIds: ['event-a', 'event-b', 'event-c'] });

      await aggregates.handle(counter, incrementTwice(1, 2), { correlationId: 'request-7', causationId: 'command-3', now: Date.UTC(2025, 0, 2, 3, 4, 5, 6) });

      expect((await store.readStream(counter)).map((e) => e.metadata)).toEqual([
        { eventId: 'event-a', occurredAt: '2025-01-02T03:04:05.006Z', correlationId: 'request-7', causationId: 'command-3', schemaVersion: 1 },
        { eventId: 'event-b', occurredAt: '2025-01-02T03:04:05.006Z', correlationId: 'request-7', causationId: 'command-3', schemaVersion: 1 },
      ]);
    });

    it('stamps each event with its type’s current schema version (libs/contracts event-schemas.ts)', async () => {
      const store = createMemoryEventStore();
      const decider: DeciderOf<number, Event, Event> = { initialState: () => 0, evolve: (n) => n + 1, decide: (command) => [command] };
      const aggregates = new EventSourcedAggregates(store, decider, () => 'event-id');
      await aggregates.handle(counter, { type: 'DeploymentStarted', data: {} }, context);

      expect((await store.readStream(counter)).map((e) => e.metadata.schemaVersion)).toEqual([2]);
    });

    it('leaves causationId out when the context has none', async () => {
      const { store } = recordingStore();
      await aggregatesOn(store).handle(counter, increment(1), { correlationId: 'request-8', now: 0 });

      const [event] = await store.readStream(counter);
      expect(event.metadata.causationId).toBeUndefined();
      expect(event.metadata).toMatchObject({ correlationId: 'request-8', occurredAt: '1970-01-01T00:00:00.000Z', schemaVersion: 1 });
    });

    it('appends nothing when the decider answers [] and answers the current state and position', async () => {
      const { store, appends } = recordingStore();
      await store.appendToStream(counter, [stored(incremented(4))], { expectedVersion: 0 });
      await store.appendToStream(otherStream, [stored(incremented(100))], { expectedVersion: 'any' });
      const appendsBefore = appends.length;

      const result = await aggregatesOn(store).handle(counter, increment(0), context);

      expect(appends).toHaveLength(appendsBefore);
      expect(result).toEqual({ state: { count: 4, changes: 1 }, version: 1, position: 1, newEvents: [] });
    });

    it('reads only newer events before deciding, once the stream is cached', async () => {
      const { store, reads } = recordingStore();
      const aggregates = aggregatesOn(store);
      await aggregates.handle(counter, increment(1), context);
      await aggregates.handle(counter, increment(1), context);
      await aggregates.handle(counter, increment(1), context);

      expect(reads.map((r) => [r.fromVersion, r.returned])).toEqual([
        [1, 0],
        [2, 0],
        [3, 0],
      ]);
    });

    it('decides again on the state another writer changed between its load and its append, and the result reflects both', async () => {
      const { store, appends, interfere } = recordingStore();
      await store.appendToStream(counter, [stored(incremented(1))], { expectedVersion: 0 });
      const appendsBefore = appends.length;
      interfere(1, incremented(10));

      const result = await aggregatesOn(store).handle(counter, double(), context);

      // Doubling 1 would add 1; decided again after the competitor's +10 it adds 11.
      expect(await countsIn(store)).toEqual([1, 10, 11]);
      expect(result).toEqual({ state: { count: 22, changes: 3 }, version: 3, position: 3, newEvents: [incremented(11)] });
      expect(appends.slice(appendsBefore).map((a) => [a.byCompetitor, a.options.expectedVersion])).toEqual([
        [true, 'any'],
        [false, 1],
        [false, 2],
      ]);
    });

    it('throws ConcurrentModificationError after maxAttempts conflicts, without appending its events', async () => {
      const { store, appends, interfere } = recordingStore();
      interfere(Infinity, incremented(1));

      const failure = aggregatesOn(store, { maxAttempts: 3 }).handle(counter, increment(1), context);

      await expect(failure).rejects.toBeInstanceOf(ConcurrentModificationError);
      await expect(failure).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION', message: expect.stringContaining(counter) });
      expect(appends.filter((a) => !a.byCompetitor && a.options.expectedVersion !== 'any')).toHaveLength(3);
      expect(await countsIn(store)).toEqual([1, 1, 1]);
    });

    it('tries five times by default', async () => {
      const { store, appends, interfere } = recordingStore();
      interfere(Infinity, incremented(1));

      await expect(aggregatesOn(store).handle(counter, increment(1), context)).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(appends.filter((a) => !a.byCompetitor && a.options.expectedVersion !== 'any')).toHaveLength(5);
    });

    it('lets a domain error thrown by decide propagate, and appends nothing', async () => {
      const { store, appends } = recordingStore();
      await store.appendToStream(counter, [stored(incremented(9))], { expectedVersion: 0 });
      const appendsBefore = appends.length;

      const failure = aggregatesOn(store).handle(counter, increment(5), context);

      await expect(failure).rejects.toBeInstanceOf(LimitExceeded);
      await expect(failure).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
      expect(appends).toHaveLength(appendsBefore);
      expect(await countsIn(store)).toEqual([9]);
    });

    it('does not retry an append that fails for another reason than a conflict', async () => {
      const { store, appends, failNextAppend } = recordingStore();
      const broken = new Error('disk full');
      failNextAppend(broken);

      await expect(aggregatesOn(store).handle(counter, increment(1), context)).rejects.toBe(broken);
      expect(appends).toHaveLength(1);
      expect(await store.readStream(counter)).toEqual([]);
    });
  });

  describe('the cache', () => {
    it('evicts the least recently used stream beyond cacheSize, which is then read from the start', async () => {
      const { store, reads } = recordingStore();
      for (const stream of [streamA, streamB, streamC]) await store.appendToStream(stream, [stored(incremented(1))], { expectedVersion: 0 });
      const aggregates = aggregatesOn(store, { cacheSize: 2 });

      await aggregates.load(streamA);
      await aggregates.load(streamB);
      await aggregates.load(streamC); // A is the oldest: evicted
      reads.length = 0;
      await aggregates.load(streamC);
      await aggregates.load(streamA);

      expect(reads.map((r) => [r.streamId, r.fromVersion])).toEqual([
        [streamC, 2],
        [streamA, 1],
      ]);
    });

    it('counts a load as a use, so the stream loaded again stays and the other goes', async () => {
      const { store, reads } = recordingStore();
      for (const stream of [streamA, streamB, streamC]) await store.appendToStream(stream, [stored(incremented(1))], { expectedVersion: 0 });
      const aggregates = aggregatesOn(store, { cacheSize: 2 });

      await aggregates.load(streamA);
      await aggregates.load(streamB);
      await aggregates.load(streamA); // A is now the most recent
      await aggregates.load(streamC); // so B goes
      reads.length = 0;
      await aggregates.load(streamA);
      await aggregates.load(streamB);

      expect(reads.map((r) => [r.streamId, r.fromVersion])).toEqual([
        [streamA, 2],
        [streamB, 1],
      ]);
    });
  });

  describe('property: the state handle answers is the fold of the stored stream', () => {
    it('holds for random commands from two writers, with competing appends between load and append', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(arbitraryStep, { maxLength: 25 }), async (steps) => {
          const { store, interfere } = recordingStore();
          const writers = [aggregatesOn(store), aggregatesOn(store)];
          for (const { writer, command, competitor } of steps) {
            if (competitor !== null) interfere(1, incremented(competitor));
            let result;
            try {
              result = await writers[writer].handle(counter, command, context);
            } catch (error) {
              expect(error).toBeInstanceOf(LimitExceeded);
              continue;
            }
            const events = await store.readStream(counter);
            expect(result.state).toEqual(foldCounter(events));
            expect(result.version).toBe(events.length);
            expect(result.position).toBe(events.at(-1)?.globalPosition ?? 0);
          }
          const events = await store.readStream(counter);
          for (const writer of writers) expect((await writer.load(counter)).state).toEqual(foldCounter(events));
          expect((await aggregatesOn(store).load(counter)).state).toEqual(foldCounter(events));
        }),
        { numRuns: 150 },
      );
    });
  });
});

// Fixtures last, so the scenarios read first.

const counter = 'counter-c1';
const otherStream = 'counter-other';
const streamA = 'counter-a';
const streamB = 'counter-b';
const streamC = 'counter-c';
const context: CommandContext = { correlationId: 'request-1', causationId: 'command-1', now: Date.UTC(2025, 0, 1) };

/** A counter that refuses increments past 10, so domain errors, no-ops and state-dependent decisions can all be shown. */
type CounterEvent = Event<'Incremented', { readonly by: number }> | Event<'Reset', { readonly from: number }>;
type CounterCommand =
  | { readonly type: 'Increment'; readonly by: readonly number[] }
  | { readonly type: 'Double' }
  | { readonly type: 'Reset' };
interface CounterState {
  readonly count: number;
  readonly changes: number;
}

class LimitExceeded extends Error {
  readonly code = 'LIMIT_EXCEEDED';
}

const LIMIT = 10;

const counterDecider: DeciderOf<CounterState, CounterCommand, CounterEvent> = {
  initialState: () => ({ count: 0, changes: 0 }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'Incremented':
        return { count: state.count + event.data.by, changes: state.changes + 1 };
      case 'Reset':
        return { count: 0, changes: state.changes + 1 };
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'Increment': {
        const steps = command.by.filter((by) => by !== 0);
        const total = steps.reduce((sum, by) => sum + by, 0);
        if (total > 0 && state.count + total > LIMIT) throw new LimitExceeded(`the count may not pass ${LIMIT}`);
        return steps.map(incremented);
      }
      case 'Double':
        return state.count === 0 ? [] : [incremented(state.count)];
      case 'Reset':
        return state.count === 0 ? [] : [{ type: 'Reset', data: { from: state.count } }];
    }
  },
};

const incremented = (by: number): CounterEvent => ({ type: 'Incremented', data: { by } });
const increment = (by: number): CounterCommand => ({ type: 'Increment', by: [by] });
const incrementTwice = (first: number, second: number): CounterCommand => ({ type: 'Increment', by: [first, second] });
const double = (): CounterCommand => ({ type: 'Double' });

const foldCounter = (events: readonly RecordedEvent[]): CounterState =>
  events.reduce((state, e) => counterDecider.evolve(state, { type: e.type, data: e.data } as CounterEvent), counterDecider.initialState());

const arbitraryStep = fc.record({
  writer: fc.integer({ min: 0, max: 1 }),
  command: fc.oneof(
    fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }).map((by): CounterCommand => ({ type: 'Increment', by })),
    fc.constant<CounterCommand>({ type: 'Double' }),
    fc.constant<CounterCommand>({ type: 'Reset' }),
  ),
  competitor: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
});

let eventCounter = 0;
function aggregatesOn(store: EventStore, { eventIds, ...options }: { eventIds?: string[]; maxAttempts?: number; cacheSize?: number } = {}) {
  const ids = eventIds ? [...eventIds] : undefined;
  const newEventId = () => ids?.shift() ?? `event-${++eventCounter}`;
  return new EventSourcedAggregates(store, counterDecider, newEventId, options);
}

/** A domain event as the store takes it, for writes made directly (another writer, a setup). */
function stored(event: CounterEvent): NewEvent {
  return { ...event, metadata: { eventId: `direct-${++eventCounter}`, occurredAt: new Date(0).toISOString(), schemaVersion: 1 } };
}

async function countsIn(store: EventStore): Promise<number[]> {
  return (await store.readStream(counter)).map((e) => (e.data as { by: number }).by);
}

interface RecordedAppend {
  readonly streamId: string;
  readonly options: AppendOptions;
  /** An append the test made as another writer, just before one of the handler's. */
  readonly byCompetitor: boolean;
}

/**
 * A real in-memory store behind a thin recorder: it notes each readStream (where it started, how much it
 * returned) and each append, and can play another writer who appends just before the next appends arrive.
 */
function recordingStore() {
  const inner = createMemoryEventStore();
  const reads: { streamId: string; fromVersion: number | undefined; returned: number }[] = [];
  const appends: RecordedAppend[] = [];
  let interferences = 0;
  let competingEvent: CounterEvent = incremented(1);
  let nextAppendFailure: Error | undefined;

  const store: EventStore = {
    async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions) {
      if (nextAppendFailure) {
        const failure = nextAppendFailure;
        nextAppendFailure = undefined;
        appends.push({ streamId, options, byCompetitor: false });
        throw failure;
      }
      if (interferences > 0 && options.expectedVersion !== 'any') {
        interferences--;
        appends.push({ streamId, options: { expectedVersion: 'any' }, byCompetitor: true });
        await inner.appendToStream(streamId, [stored(competingEvent)], { expectedVersion: 'any' });
      }
      appends.push({ streamId, options, byCompetitor: false });
      return inner.appendToStream(streamId, events, options);
    },
    async readStream(streamId: string, options?: ReadStreamOptions) {
      const events = await inner.readStream(streamId, options);
      reads.push({ streamId, fromVersion: options?.fromVersion, returned: events.length });
      return events;
    },
    readAll: (options) => inner.readAll(options),
    headPosition: () => inner.headPosition(),
    subscribe: (options, handler) => inner.subscribe(options, handler),
    checkHealth: () => inner.checkHealth(),
    close: () => inner.close(),
  };

  return {
    store,
    reads,
    appends,
    /** The next `times` appends with an expected version are each preceded by another writer's `event`. */
    interfere: (times: number, event: CounterEvent) => {
      interferences = times;
      competingEvent = event;
    },
    failNextAppend: (error: Error) => {
      nextAppendFailure = error;
    },
  };
}
