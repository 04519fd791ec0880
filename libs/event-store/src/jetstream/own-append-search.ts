import type { JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import { appendMarkOf, previousSequenceOf } from './jetstream-message.codec.js';

/** Where an append's own message can be: after message `afterSeq` of its subject, stored at or after `since` (ms). */
export interface OwnAppendSearch {
  readonly afterSeq: number;
  readonly since: number;
}

/**
 * Walks a subject back from its last message, following each message's stored previous-message sequence, to the
 * message whose append mark is `mark`. Every step is a message get that the stream's leader answers, so the walk
 * sees every message stored before the tail was looked up. It stops at `afterSeq`, or at the first message older
 * than `since`: an append retried by a caller is looked for as far back as the server would have deduplicated it.
 */
export async function findOwnAppend(
  jsm: JetStreamManager,
  streamName: string,
  last: StoredMsg | undefined,
  mark: string,
  search: OwnAppendSearch,
): Promise<StoredMsg | undefined> {
  let message = last;
  while (message && message.seq > search.afterSeq && message.time.getTime() >= search.since) {
    if (appendMarkOf(message.header) === mark) return message;
    const previous = previousSequenceOf(message.header);
    if (previous === undefined || previous === 0 || previous >= message.seq) return undefined;
    message = (await jsm.streams.getMessage(streamName, { seq: previous })) ?? undefined;
  }
  return undefined;
}
