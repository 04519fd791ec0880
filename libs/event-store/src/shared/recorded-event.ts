import type { EventMetadata, RecordedEvent } from '../event-store.port.js';

/** The JSON shape `serialiseForAppend` produces for one event; `data` is absent when it was `undefined`. */
export interface SerialisedEvent {
  readonly type: string;
  readonly data?: unknown;
  readonly metadata: EventMetadata;
}

/**
 * Every adapter returns events decoded from their stored JSON, never the caller's objects: what a reader sees
 * is exactly what was stored (a mutation of an appended object cannot leak into the store, and values JSON
 * cannot carry, such as `undefined` fields or Dates, come back as they would from any other adapter).
 */
export function recordedEvent(
  stored: SerialisedEvent,
  streamId: string,
  streamVersion: number,
  globalPosition: number,
): RecordedEvent {
  return { type: stored.type, data: stored.data, metadata: stored.metadata, streamId, streamVersion, globalPosition };
}
