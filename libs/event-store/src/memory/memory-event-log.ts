import type { AppendResult, ExpectedVersion, RecordedEvent } from '../event-store.port.js';
import type { CategorySet } from '../shared/event-filter.js';
import { passesFilter } from '../shared/event-filter.js';
import { assertExpectedVersion } from '../shared/append-options.js';
import type { PolledBatch, PolledLog } from '../shared/polling-subscription.js';
import { recordedEvent, type SerialisedEvent } from '../shared/recorded-event.js';

interface StoredEvent {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: number;
  /** The event as `serialiseForAppend` wrote it; decoded on every read, so stored events cannot be mutated. */
  readonly json: string;
}

/**
 * The data of an in-memory store, kept apart from the store object so that several stores can share it: a
 * store closed and opened again on the same log behaves like a restarted process on the same database, and
 * two stores on one log like two processes.
 *
 * Invariants: `events[i].globalPosition === i + 1` (positions are dense), and each stream's list holds its
 * events with versions 1..n in order. Every method runs synchronously, so an append is atomic and appends are
 * serialised without locks.
 */
export class MemoryEventLog implements PolledLog {
  private readonly events: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly appends = new Map<string, AppendResult>();
  private readonly checkpoints = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  append(streamId: string, serialised: readonly string[], expectedVersion: ExpectedVersion, appendId: string | undefined): AppendResult {
    const earlier = appendId === undefined ? undefined : this.appends.get(appendId);
    if (earlier) return earlier;
    const stream = this.streams.get(streamId) ?? [];
    assertExpectedVersion(streamId, expectedVersion, stream.length);
    for (const json of serialised) {
      const event = { streamId, streamVersion: stream.length + 1, globalPosition: this.events.length + 1, json };
      stream.push(event);
      this.events.push(event);
    }
    this.streams.set(streamId, stream);
    const result = { streamVersion: stream.length, globalPosition: this.events.length };
    if (appendId !== undefined) this.appends.set(appendId, result);
    for (const listener of this.listeners) listener();
    return result;
  }

  readStream(streamId: string, fromVersion: number, maxCount: number): RecordedEvent[] {
    const stream = this.streams.get(streamId) ?? [];
    const from = Math.max(0, fromVersion - 1);
    return stream.slice(from, from + maxCount).map(decode);
  }

  read(fromPosition: number, maxCount: number, categories: CategorySet): RecordedEvent[] {
    const found: RecordedEvent[] = [];
    for (let i = Math.max(0, fromPosition - 1); i < this.events.length && found.length < maxCount; i++) {
      if (passesFilter(categories, this.events[i].streamId)) found.push(decode(this.events[i]));
    }
    return found;
  }

  poll(fromPosition: number, maxCount: number, categories: CategorySet): PolledBatch {
    const events = this.read(fromPosition, maxCount, categories);
    return { events, scannedTo: events.length === maxCount ? events[events.length - 1].globalPosition : this.events.length };
  }

  headPosition(): number {
    return this.events.length;
  }

  loadCheckpoint(name: string): number | undefined {
    return this.checkpoints.get(name);
  }

  saveCheckpoint(name: string, position: number): void {
    this.checkpoints.set(name, Math.max(position, this.checkpoints.get(name) ?? 0));
  }

  onAppended(listener: () => void): () => void {
    // Wrapped so that the same function registered twice is two registrations.
    const registration = () => listener();
    this.listeners.add(registration);
    return () => this.listeners.delete(registration);
  }
}

function decode(event: StoredEvent): RecordedEvent {
  return recordedEvent(JSON.parse(event.json) as SerialisedEvent, event.streamId, event.streamVersion, event.globalPosition);
}
