import type { RecordedEvent } from '../event-store.port.js';
import type { PolledBatch } from '../shared/polling-subscription.js';
import { passesFilter, type CategorySet } from '../shared/event-filter.js';
import { recordedEvent, type SerialisedEvent } from '../shared/recorded-event.js';

interface RecentEvent {
  readonly streamId: string;
  readonly streamVersion: number;
  /** The event as `serialiseForAppend` wrote it, decoded on every read like a row (no reader shares an object). */
  readonly json: string;
}

/**
 * The events this process appended last, as they were stored. Every subscription of the process is woken by each
 * append and reads what it just added: served from here, that is one JSON decode per reader instead of one SQL
 * query each (in embedded mode, the four services' ten or so subscriptions).
 *
 * Invariant: the window is gap-free, `events[i]` being the event at global position `first + i`. An append that
 * does not follow the window's last event (another process wrote in between) starts it afresh, and a read that
 * starts outside the window (before it, or after its end) is left to SQLite. So a read served from here returns
 * exactly what SQLite would have returned at the moment of this process's last append: events that other
 * processes append later are found by the next read, which starts after the window.
 */
export class RecentAppends {
  private first = 0;
  private events: RecentEvent[] = [];

  constructor(private readonly capacity: number) {}

  /** After an append's transaction committed: its events, the last of them at `lastPosition`. */
  record(streamId: string, firstVersion: number, lastPosition: number, serialised: readonly string[]): void {
    const firstPosition = lastPosition - serialised.length + 1;
    if (firstPosition !== this.first + this.events.length) {
      this.first = firstPosition;
      this.events = [];
    }
    serialised.forEach((json, i) => this.events.push({ streamId, streamVersion: firstVersion + i, json }));
    const excess = this.events.length - this.capacity;
    if (excess > 0) {
      // Trimmed in chunks, so that the array is not shifted on every append.
      const dropped = Math.max(excess, Math.floor(this.capacity / 4));
      this.events = this.events.slice(dropped);
      this.first += dropped;
    }
  }

  /**
   * The events of `categories` from `fromPosition` on, at most `maxCount`, scanned up to the window's end at most;
   * undefined when the window does not hold `fromPosition`.
   */
  poll(fromPosition: number, maxCount: number, categories: CategorySet): PolledBatch | undefined {
    const start = fromPosition - this.first;
    if (start < 0 || start >= this.events.length) return undefined;
    const found: RecordedEvent[] = [];
    let i = start;
    for (; i < this.events.length && found.length < maxCount; i++) {
      const { streamId, streamVersion, json } = this.events[i];
      if (passesFilter(categories, streamId)) found.push(recordedEvent(JSON.parse(json) as SerialisedEvent, streamId, streamVersion, this.first + i));
    }
    return { events: found, scannedTo: this.first + i - 1 };
  }
}
