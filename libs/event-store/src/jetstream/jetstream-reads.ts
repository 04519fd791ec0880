import type { JetStreamClient } from '@nats-io/jetstream';
import type { ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../event-store.port.js';
import { categorySetOf, passesFilter, singleCategory } from '../shared/event-filter.js';
import { DEFAULT_READ_ALL_MAX_COUNT, lowerBoundOf, maxCountOf } from '../shared/read-options.js';
import { decodeAppend, firstSequenceFor } from './jetstream-message.codec.js';
import type { JetStreamNaming } from './jetstream-naming.js';
import { visitMessages } from './jetstream-reader.js';
import type { ReadResumePoints } from './read-resume-points.js';
import type { KnownTail, StreamVersionCache } from './stream-version-cache.js';

/**
 * A stream's events from `fromVersion` on. When this process knows the stream's tail, or where its last paged
 * read stopped, the read starts at the message holding `fromVersion` (or after the known message), so reloading
 * the new end of a long stream, or reading the next page of it, does not rescan it; otherwise the server scans the
 * subject from the start. A read that reaches the end refreshes the tail; one that stops early records its point.
 */
export async function readStreamEvents(
  js: JetStreamClient,
  naming: JetStreamNaming,
  cache: StreamVersionCache,
  resumePoints: ReadResumePoints,
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
  // Both give a message at or before the one holding `fromVersion`: the later one skips the most.
  const fromTail = startSequenceFor(cache.get(streamId), fromVersion);
  const fromResumePoint = startSequenceFor(resumePoints.get(streamId), fromVersion);
  const startSeq = Math.max(fromTail, fromResumePoint);
  // A page (a read with maxCount) going on where the last page stopped, short of the known tail: the next page of a
  // long read. Other reads (an aggregate's, without maxCount) keep fetching their first messages from the leader.
  const continuesLongRead = Number.isFinite(maxCount) && fromResumePoint > 1 && fromResumePoint >= fromTail;
  await visitMessages(js, naming.streamName, { startSeq, filterSubject: subject, continuesLongRead }, (message) => {
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
  if (tail && stoppedEarly) resumePoints.remember(streamId, tail);
  return events;
}

/** The first message a read from `fromVersion` must look at, knowing one message of the stream (`known`). */
function startSequenceFor(known: KnownTail | undefined, fromVersion: number): number {
  if (!known || known.seq === 0) return 1;
  if (fromVersion > known.version) return known.seq + 1;
  if (fromVersion > known.version - known.count) return known.seq;
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
