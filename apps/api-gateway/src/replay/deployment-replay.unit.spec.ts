import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Streams } from '@daemonfleet/contracts';
import { createMemoryEventStore, type RecordedEvent } from '@daemonfleet/event-store';
import { describe, expect, it } from 'vitest';
import { replayDeployment, REPLAY_PAGE } from './deployment-replay.js';

/**
 * replayDeployment pages through a long stream: a deployment whose breaker counts one failure per event after its
 * start, so the state after version v says how many events were folded (failureCount = v - 2).
 */
describe('replayDeployment', () => {
  const ID = 'LongStreamReplay1';
  const LENGTH = 2 * REPLAY_PAGE + 3;

  async function longStream() {
    const store = createMemoryEventStore();
    const golden = JSON.parse(readFileSync(fileURLToPath(new URL('./__fixtures__/golden/success.json', import.meta.url)), 'utf8')) as { events: RecordedEvent[] };
    const [created, started] = golden.events;
    const metadata = (n: number) => ({ eventId: `e-${n}`, occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 });
    const events = [
      { type: created.type, data: created.data, metadata: created.metadata },
      { type: started.type, data: { ...(started.data as object), circuitBreakerThreshold: 1_000_000 }, metadata: started.metadata },
      ...Array.from({ length: LENGTH - 2 }, (_, i) => ({ type: 'CircuitBreakerFailuresRecorded', data: { failureCount: i + 1, recordedAt: 0 }, metadata: metadata(i) })),
    ];
    for (let i = 0; i < events.length; i += 1000) await store.appendToStream(Streams.daemonDeployment(ID), events.slice(i, i + 1000), { expectedVersion: i });
    return store;
  }
  const failures = (state: Awaited<ReturnType<typeof replayDeployment>>['state']) => ('circuitBreaker' in state ? state.circuitBreaker.failureCount : undefined);

  it('folds every page of a stream longer than one, in order, to its last version', async () => {
    const store = await longStream();
    const seen: number[] = [];
    const { state, version, last } = await replayDeployment(store, ID, { visit: ({ event }) => void seen.push(event.streamVersion) });
    expect(version).toBe(LENGTH);
    expect(last?.streamVersion).toBe(LENGTH);
    expect(failures(state)).toBe(LENGTH - 2);
    expect(seen).toEqual(Array.from({ length: LENGTH }, (_, i) => i + 1));
  });

  it('stops at toVersion, on a page boundary or within a page, and where visit says so', async () => {
    const store = await longStream();
    for (const toVersion of [1, REPLAY_PAGE, REPLAY_PAGE + 1, 2 * REPLAY_PAGE, LENGTH, LENGTH + 10]) {
      const { state, version } = await replayDeployment(store, ID, { toVersion });
      const expected = Math.min(toVersion, LENGTH);
      expect({ toVersion, version, failures: failures(state) }).toEqual({ toVersion, version: expected, failures: expected >= 2 ? expected - 2 : undefined });
    }
    const stopped = await replayDeployment(store, ID, { visit: ({ event }) => event.streamVersion < REPLAY_PAGE + 7 });
    expect(stopped.version).toBe(REPLAY_PAGE + 7);
    expect(failures(stopped.state)).toBe(REPLAY_PAGE + 5);
  });

  it('gives each step the states before and after its event', async () => {
    const store = await longStream();
    const steps: [number | undefined, number | undefined][] = [];
    await replayDeployment(store, ID, { toVersion: 5, visit: ({ before, after }) => void steps.push([failures(before), failures(after)]) });
    expect(steps).toEqual([[undefined, undefined], [undefined, 0], [0, 1], [1, 2], [2, 3]]);
  });

  it('answers version 0 and no state for a stream that does not exist', async () => {
    expect(await replayDeployment(createMemoryEventStore(), ID)).toEqual({ state: { status: 'NONE' }, version: 0, last: undefined });
  });
});
