import { AppendTooLargeError, EventTooLargeError, InvalidAppendError } from './event-store.errors.js';
import type { NewEvent } from './event-store.port.js';

/** Largest serialised event (type, data and metadata as JSON, UTF-8), in bytes. */
export const MAX_EVENT_BYTES = 1024 * 1024;
/** Most events one append may carry. Adapters may rely on it (the JetStream adapter's positions do). */
export const MAX_EVENTS_PER_APPEND = 1000;

/** Serialises each event once, and refuses appends every adapter must refuse. */
export function serialiseForAppend(streamId: string, events: readonly NewEvent[]): string[] {
  if (events.length === 0) throw new InvalidAppendError(streamId, 'an append needs at least one event');
  if (events.length > MAX_EVENTS_PER_APPEND)
    throw new AppendTooLargeError(streamId, `${events.length} events; at most ${MAX_EVENTS_PER_APPEND} per append`);
  return events.map((event) => {
    if (typeof event.type !== 'string' || event.type.length === 0) throw new InvalidAppendError(streamId, 'every event needs a type');
    if (!event.metadata?.eventId) throw new InvalidAppendError(streamId, `event ${event.type} has no metadata.eventId`);
    const json = JSON.stringify({ type: event.type, data: event.data, metadata: event.metadata });
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > MAX_EVENT_BYTES) throw new EventTooLargeError(streamId, event.type, bytes, MAX_EVENT_BYTES);
    return json;
  });
}
