import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WrongExpectedVersionError } from '../event-store.errors.js';
import type { ExpectedVersion, NewEvent, RecordedEvent } from '../event-store.port.js';
import { contentOf, expectStrictlyIncreasing, newEvent, type ContractContext } from './contract-fixtures.js';

export interface PropertyOptions {
  /** fast-check runs per property (each run works on fresh streams of the test's store). */
  readonly runs: number;
}

/** Property-based checks; every run appends to streams of its own, so runs share a store without interfering. */
export function propertyContract(context: ContractContext, { runs }: PropertyOptions): void {
  describe('properties', () => {
    let run = 0;
    const streamOf = (index: number) => `prop${run}-s${index}`;

    it('any interleaving of concurrent appends reads back in one global order, each stream contiguous', async () => {
      const appends = fc.array(fc.record({ stream: fc.nat({ max: 3 }), count: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 12 });
      await fc.assert(
        fc.asyncProperty(appends, async (plan) => {
          run++;
          const from = (await context.store.headPosition()) + 1;
          const batches = plan.map(({ stream, count }) => ({ streamId: streamOf(stream), events: Array.from({ length: count }, () => newEvent()) }));
          const results = await Promise.all(
            batches.map(({ streamId, events }) => context.store.appendToStream(streamId, events, { expectedVersion: 'any' })),
          );
          const all = await context.store.readAll({ fromPosition: from, maxCount: 10_000 });
          expect(all).toHaveLength(batches.reduce((n, b) => n + b.events.length, 0));
          expectStrictlyIncreasing(all.map((e) => e.globalPosition));
          batches.forEach(({ streamId, events }, i) => {
            // Each append is one contiguous run of its stream, ending at the version and position it reported.
            const { streamVersion, globalPosition } = results[i];
            const stored = all.filter((e) => e.streamId === streamId && e.streamVersion > streamVersion - events.length && e.streamVersion <= streamVersion);
            expect(stored.map(contentOf)).toEqual(events.map(contentOf));
            expect(stored[stored.length - 1].globalPosition).toBe(globalPosition);
          });
          for (const streamId of new Set(batches.map((b) => b.streamId))) {
            const stream = await context.store.readStream(streamId);
            expect(stream.map((e) => e.streamVersion)).toEqual(stream.map((_, i) => i + 1));
            expect(stream).toEqual(all.filter((e) => e.streamId === streamId));
          }
        }),
        { numRuns: runs },
      );
    });

    it('an append succeeds exactly when its expectation matches the stream version', async () => {
      const expectation = fc.oneof(
        fc.constantFrom<ExpectedVersion>('any', 'no_stream', 'stream_exists'),
        fc.nat({ max: 4 }),
      );
      const steps = fc.array(fc.record({ stream: fc.nat({ max: 2 }), expectedVersion: expectation }), { minLength: 1, maxLength: 15 });
      await fc.assert(
        fc.asyncProperty(steps, async (plan) => {
          run++;
          const versions = new Map<string, number>();
          for (const { stream, expectedVersion } of plan) {
            const streamId = streamOf(stream);
            const actual = versions.get(streamId) ?? 0;
            const attempt = context.store.appendToStream(streamId, [newEvent()], { expectedVersion });
            if (matches(expectedVersion, actual)) {
              expect((await attempt).streamVersion).toBe(actual + 1);
              versions.set(streamId, actual + 1);
            } else {
              await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
            }
          }
          for (const [streamId, version] of versions) expect(await context.store.readStream(streamId)).toHaveLength(version);
        }),
        { numRuns: runs },
      );
    });

    it('paging readAll with any page size and category filter yields every matching event once, in order', async () => {
      const seed: { streamId: string; events: NewEvent[] }[] = [];
      for (let i = 0; i < 12; i++) seed.push({ streamId: `${['daemon', 'alarm', 'fleet'][i % 3]}-x${i % 5}`, events: [newEvent(), newEvent()] });
      for (const { streamId, events } of seed) await context.store.appendToStream(streamId, events, { expectedVersion: 'any' });
      const all = await context.store.readAll({ maxCount: 10_000 });
      const filters = fc.subarray(['daemon', 'alarm', 'fleet']);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 7 }), filters, async (pageSize, categories) => {
          const filter = { categories };
          const pages: RecordedEvent[] = [];
          for (let page = await context.store.readAll({ maxCount: pageSize, filter }); page.length > 0; ) {
            expect(page.length).toBeLessThanOrEqual(pageSize);
            pages.push(...page);
            page = await context.store.readAll({ fromPosition: page[page.length - 1].globalPosition + 1, maxCount: pageSize, filter });
          }
          const wanted = categories.length === 0 ? all : all.filter((e) => categories.includes(e.streamId.split('-')[0]));
          expect(pages).toEqual(wanted);
        }),
        { numRuns: runs },
      );
    });
  });
}

function matches(expected: ExpectedVersion, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 0;
  if (expected === 'stream_exists') return actual > 0;
  return expected === actual;
}
