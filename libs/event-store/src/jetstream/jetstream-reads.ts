import type { JetStreamClient } from '@nats-io/jetstream';
import type { ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../event-store.port.js';
import { categorySetOf, passesFilter, singleCategory } from '../shared/event-filter.js';
import { DEFAULT_READ_ALL_MAX_COUNT, lowerBoundOf, maxCountOf } from '../shared/read-options.js';
import { decodeAppend, firstSequenceFor } from './jetstream-message.codec.js';
import type { JetStreamNaming } from './jetstream-naming.js';
import { visitMessages } from './jetstream-reader.js';
import type { KnownTail, StreamVersionCache } from './stream-version-cache.js';

/**
 * A stream's events from `fromVersion` on. When this process knows the stream's tail, the read starts at the
 * message holding `fromVersion` (or after the tail), so reloading the new end of a long stream does not rescan
 * it; otherwise the server scans the subject from the start. A read that reaches the end refreshes the tail.
 */
export async function readStreamEvents(
  js: JetStreamClient,
  naming: JetStreamNaming,
  cache: StreamVersionCache,
  streamId: string,
  options: ReadStreamOptions,
): Promise<RecordedEvent[]> {
  const subject = naming.subjectOf(streamId);
  const fromVersion = lowerBoundOf(options.fromVersion);
  const maxCount = maxCountOf(options.maxCount, Infinity);
  const events: RecordedEvent[] = [];
  if (maxCount === 0) return events;
  let tail: KnownTail | undefined;
  let stoppedEarly = false;
  const startSeq = startSequenceFor(cache.get(streamId), fromVersion);
  await visitMessages(js, naming.streamName, { startSeq, filterSubject: subject }, (message) => {
    const { header, events: decoded } = decodeAppend(message);
    tail = { version: header.streamVersion, seq: message.seq, count: header.count };
    for (const event of decoded) {
      if (event.streamVersion < fromVersion) continue;
      events.push(event);
      if (events.length >= maxCount) {
        stoppedEarly = true;
        return false;
      }
    }
    return true;
  });
  if (tail && !stoppedEarly) cache.remember(streamId, tail);
  return events;
}

function startSequenceFor(tail: KnownTail | undefined, fromVersion: number): number {
  if (!tail || tail.seq === 0) return 1;
  if (fromVersion > tail.version) return tail.seq + 1;
  if (fromVersion > tail.version - tail.count) return tail.seq;
  return 1;
}

/** Events of all streams from `fromPosition` on, in global order; one category is filtered by the server. */
export async function readAllEvents(js: JetStreamClient, naming: JetStreamNaming, options: ReadAllOptions): Promise<RecordedEvent[]> {
  const fromPosition = lowerBoundOf(options.fromPosition);
  const maxCount = maxCountOf(options.maxCount, DEFAULT_READ_ALL_MAX_COUNT);
  const categories = categorySetOf(options.filter);
  const events: RecordedEvent[] = [];
  if (maxCount === 0) return events;
  const category = singleCategory(categories);
  const range = { startSeq: firstSequenceFor(fromPosition), ...(category === undefined ? {} : { filterSubject: naming.categorySubject(category) }) };
  await visitMessages(js, naming.streamName, range, (message) => {
    for (const event of decodeAppend(message).events) {
      if (event.globalPosition < fromPosition || !passesFilter(categories, event.streamId)) continue;
      events.push(event);
      if (events.length >= maxCount) return false;
    }
    return true;
  });
  return events;
}
