import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';

export interface MessageRange {
  /** First stream sequence to read. */
  readonly startSeq: number;
  /**
   * One subject or wildcard, sent as the consumer's single `filter_subject`. Never an array: `filter_subjects`
   * needs nats-server 2.10, and 2.9 rejects it only after about 30 s of client retries (stack-notes P6).
   */
  readonly filterSubject?: string;
}

/** Told about each message in order; returns false to stop reading. */
export type MessageVisitor = (message: JsMsg) => boolean;

/** Messages buffered per pull: a bound on memory, since one message can carry up to max_payload bytes. */
const PULL_BATCH = 256;

/**
 * Visits the stored messages of the range, in stream order, as they were when the read started: the ordered
 * consumer's `num_pending` at creation counts the matching messages at or after the start, and the read stops
 * after that many, so a concurrent append neither blocks nor extends it. The consumer is an ephemeral ordered
 * pull consumer in memory, deleted at the end.
 */
export async function visitMessages(js: JetStreamClient, streamName: string, range: MessageRange, visit: MessageVisitor): Promise<void> {
  const consumer = await js.consumers.get(streamName, {
    opt_start_seq: Math.max(1, range.startSeq),
    ...(range.filterSubject === undefined ? {} : { filter_subjects: range.filterSubject }),
  });
  try {
    let remaining = (await consumer.info(true)).num_pending;
    if (remaining === 0) return;
    const messages = await consumer.consume({ max_messages: Math.min(remaining, PULL_BATCH) });
    for await (const message of messages) {
      remaining--;
      if (!visit(message) || remaining === 0) break;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}
