import type { RecordedEvent } from '@daemonfleet/event-store';
import { expect } from 'vitest';

/** After a fault: nothing read before it went missing, and every stream is contiguous with no event stored twice. */
export function expectStoreIntact(before: readonly RecordedEvent[], after: readonly RecordedEvent[]): void {
  expectNothingLost(before, after);
  expectEveryStreamContiguous(after);
  expectNoEventStoredTwice(after);
}

/**
 * Each stream's versions run 1, 2, 3... in the global log, with no gap and no repeat: an acknowledged append that
 * went missing would leave a gap; an append stored twice, or two appends stored on the same version, a repeat.
 */
function expectEveryStreamContiguous(events: readonly RecordedEvent[]): void {
  const versions = new Map<string, number>();
  for (const event of events) {
    const previous = versions.get(event.streamId) ?? 0;
    expect(event.streamVersion, `${event.streamId} after version ${previous}`).toBe(previous + 1);
    versions.set(event.streamId, event.streamVersion);
  }
}

/** No event id appears twice in the log: a retried append was not stored again. */
function expectNoEventStoredTwice(events: readonly RecordedEvent[]): void {
  const seen = new Set<string>();
  const repeated = events.filter((event) => {
    if (seen.has(event.metadata.eventId)) return true;
    seen.add(event.metadata.eventId);
    return false;
  });
  expect(repeated.map((e) => `${e.streamId}@${e.streamVersion} ${e.type}`)).toEqual([]);
}

/** Every event read before a fault is still there afterwards, at the same position, the same event. */
function expectNothingLost(before: readonly RecordedEvent[], after: readonly RecordedEvent[]): void {
  const byPosition = new Map(after.map((e) => [e.globalPosition, e]));
  const missing = before.filter((e) => byPosition.get(e.globalPosition)?.metadata.eventId !== e.metadata.eventId);
  expect(missing).toEqual([]);
}
