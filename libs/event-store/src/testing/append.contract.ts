import { describe, expect, it } from 'vitest';
import { EventTooLargeError, InvalidAppendError, InvalidStreamIdError, WrongExpectedVersionError } from '../event-store.errors.js';
import type { AppendResult, EventStore, ExpectedVersion, NewEvent } from '../event-store.port.js';
import {
  contentOf,
  expectStrictlyIncreasing,
  newEvent,
  newEvents,
  oversizedEvent,
  rejectionOf,
  snapshotOf,
  type ContractContext,
} from './contract-fixtures.js';

export function appendContract(context: ContractContext): void {
  describe('appendToStream', () => {
    it('appends to a new stream with no_stream, numbering versions from 1, and returns the last version and position', async () => {
      const events = newEvents(3);
      const result = await context.store.appendToStream('daemon-a', events, { expectedVersion: 'no_stream' });
      const stored = await context.store.readStream('daemon-a');
      expect(stored.map(contentOf)).toEqual(events.map(contentOf));
      expect(stored.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
      expect(stored.every((e) => e.streamId === 'daemon-a')).toBe(true);
      expectStrictlyIncreasing(stored.map((e) => e.globalPosition));
      expect(result).toEqual({ streamVersion: 3, globalPosition: stored[2].globalPosition });
    });

    it('appends when a numeric expected version equals the stream version (0 for a new stream)', async () => {
      await context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 0 });
      await context.store.appendToStream('daemon-a', newEvents(2), { expectedVersion: 1 });
      const result = await context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 3 });
      expect(result.streamVersion).toBe(4);
    });

    it.each<[string, ExpectedVersion]>([
      ['a lower number', 1],
      ['a higher number', 5],
      ['0', 0],
      ['no_stream', 'no_stream'],
    ])('refuses %s on a stream at version 2 with WrongExpectedVersionError, and stores nothing', async (_what, expectedVersion) => {
      await context.store.appendToStream('daemon-a', newEvents(2), { expectedVersion: 'no_stream' });
      const before = await snapshotOf(context.store);
      const error = await rejectionOf(context.store.appendToStream('daemon-a', newEvents(2), { expectedVersion }));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', streamId: 'daemon-a', expectedVersion, actualVersion: 2 });
      expect(await snapshotOf(context.store)).toEqual(before);
    });

    it('stream_exists refuses a new stream and appends to an existing one', async () => {
      const error = await rejectionOf(context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'stream_exists' }));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ actualVersion: 0 });
      await context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'no_stream' });
      const result = await context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'stream_exists' });
      expect(result.streamVersion).toBe(2);
    });

    it('any appends to a new and to an existing stream', async () => {
      expect((await context.store.appendToStream('daemon-a', newEvents(2), { expectedVersion: 'any' })).streamVersion).toBe(2);
      expect((await context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'any' })).streamVersion).toBe(3);
    });

    it('of concurrent appends with the same expectation, exactly one wins and each other gets one WrongExpectedVersionError', async () => {
      await context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'no_stream' });
      const contenders = Array.from({ length: 5 }, (_, i) => [newEvent('Contended', { i }), newEvent('Contended', { i })]);
      const outcomes = await Promise.allSettled(
        contenders.map((events) => context.store.appendToStream('daemon-a', events, { expectedVersion: 1 })),
      );
      await expectExactlyOneWinner(context.store, outcomes, contenders);
    });

    it('of concurrent appends from two stores on the same data, exactly one wins', async (test) => {
      if (!context.openAnother) return test.skip('the harness cannot open a second store on the same data');
      const other = await context.openAnother();
      const contenders = [newEvents(2, 'FromFirst'), newEvents(2, 'FromSecond')];
      const outcomes = await Promise.allSettled([
        context.store.appendToStream('daemon-a', contenders[0], { expectedVersion: 'no_stream' }),
        other.appendToStream('daemon-a', contenders[1], { expectedVersion: 'no_stream' }),
      ]);
      await expectExactlyOneWinner(context.store, outcomes, contenders);
    });

    it('serialises concurrent appends with any: all are stored, each as a contiguous run of versions', async () => {
      const batches = Array.from({ length: 10 }, (_, i) => [newEvent('Batched', { i, part: 0 }), newEvent('Batched', { i, part: 1 })]);
      const results = await Promise.all(batches.map((events) => context.store.appendToStream('daemon-a', events, { expectedVersion: 'any' })));
      const stored = await context.store.readStream('daemon-a');
      expect(stored.map((e) => e.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      results.forEach((result, i) => {
        const [first, second] = stored.slice(result.streamVersion - 2, result.streamVersion);
        expect([first, second].map(contentOf)).toEqual(batches[i].map(contentOf));
        expect(second.globalPosition).toBe(result.globalPosition);
      });
    });

    it('stores a multi-event append all or nothing', async () => {
      await context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'no_stream' });
      const before = await snapshotOf(context.store);
      const error = await rejectionOf(
        context.store.appendToStream('daemon-a', [newEvent(), newEvent(), oversizedEvent(), newEvent()], { expectedVersion: 1 }),
      );
      expect(error).toBeInstanceOf(EventTooLargeError);
      expect(await snapshotOf(context.store)).toEqual(before);
    });

    it('stores an append retried with the same appendId once, and answers the retry with the first result', async () => {
      const events = newEvents(2);
      const first = await context.store.appendToStream('daemon-a', events, { expectedVersion: 'no_stream', appendId: 'append-1' });
      const head = await context.store.headPosition();
      const retried = await context.store.appendToStream('daemon-a', events, { expectedVersion: 'no_stream', appendId: 'append-1' });
      expect(retried).toEqual(first);
      const again = await context.store.appendToStream('daemon-a', events, { expectedVersion: 'any', appendId: 'append-1' });
      expect(again).toEqual(first);
      expect((await context.store.readStream('daemon-a')).map(contentOf)).toEqual(events.map(contentOf));
      expect(await context.store.headPosition()).toBe(head);
    });

    it('refuses an event over 1 MiB with EventTooLargeError and changes nothing', async () => {
      const before = await snapshotOf(context.store);
      const error = await rejectionOf(context.store.appendToStream('daemon-a', [oversizedEvent()], { expectedVersion: 'any' }));
      expect(error).toBeInstanceOf(EventTooLargeError);
      expect(error).toMatchObject({ code: 'EVENT_TOO_LARGE', streamId: 'daemon-a', eventType: 'HugeThingHappened' });
      expect(await snapshotOf(context.store)).toEqual(before);
      expect(await context.store.readStream('daemon-a')).toEqual([]);
    });

    it.each(['', 'nodash', '-id', 'Daemon-a', 'dae_mon-a', 'daemon-', 'daemon-a b', 'daemon-a..b', 'daemon-a.*', 'daemon->', 'daemon-a.'])(
      'refuses the malformed stream id %j with InvalidStreamIdError and changes nothing',
      async (streamId) => {
        const before = await snapshotOf(context.store);
        expect(await rejectionOf(context.store.appendToStream(streamId, newEvents(1), { expectedVersion: 'any' }))).toBeInstanceOf(
          InvalidStreamIdError,
        );
        expect(await rejectionOf(context.store.readStream(streamId))).toBeInstanceOf(InvalidStreamIdError);
        expect(await snapshotOf(context.store)).toEqual(before);
      },
    );

    it('refuses an empty append, an invalid expected version and an invalid appendId with InvalidAppendError', async () => {
      expect(await rejectionOf(context.store.appendToStream('daemon-a', [], { expectedVersion: 'any' }))).toBeInstanceOf(InvalidAppendError);
      for (const expectedVersion of [-1, 1.5, 'latest' as ExpectedVersion])
        expect(await rejectionOf(context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion }))).toBeInstanceOf(InvalidAppendError);
      for (const appendId of ['', 'has space', 'line\nbreak', 'x'.repeat(257)])
        expect(await rejectionOf(context.store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'any', appendId }))).toBeInstanceOf(
          InvalidAppendError,
        );
      expect(await context.store.headPosition()).toBe(0);
    });
  });
}

/** Exactly one fulfilled append; every other one rejected with WrongExpectedVersionError; only the winner stored. */
async function expectExactlyOneWinner(
  store: EventStore,
  outcomes: PromiseSettledResult<AppendResult>[],
  contenders: readonly NewEvent[][],
): Promise<void> {
  const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
  expect(winners).toHaveLength(1);
  for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedVersionError);
  const stored = await store.readStream('daemon-a');
  const winner = contenders[winners[0]];
  expect(stored.slice(-winner.length).map(contentOf)).toEqual(winner.map(contentOf));
  expect(stored.length).toBe((outcomes[winners[0]] as PromiseFulfilledResult<AppendResult>).value.streamVersion);
}
