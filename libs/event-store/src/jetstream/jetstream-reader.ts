import type { Consumer, JetStreamClient, MsgRequest, OrderedConsumerOptions, StoredMsg } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';
import { watchForStall } from './consumer-stall-watch.js';
import type { AppendMessage } from './jetstream-message.codec.js';

export interface MessageRange {
  /** First stream sequence to read. */
  readonly startSeq: number;
  /**
   * One subject or wildcard, sent as the consumer's single `filter_subject`. Never an array: `filter_subjects`
   * needs nats-server 2.10, and 2.9 rejects it only after about 30 s of client retries (stack-notes P6).
   */
  readonly filterSubject?: string;
  /**
   * The read goes on where an earlier read of a long stream stopped (the next page of a replay): it is long, so it
   * goes straight to a consumer, without the first messages fetched one by one.
   */
  readonly continuesLongRead?: boolean;
}

/** Told about each message in order; returns false to stop reading. */
export type MessageVisitor = (message: AppendMessage) => boolean;

/** Messages buffered per pull: a bound on memory, since one message can carry up to max_payload bytes. */
const PULL_BATCH = 256;

/** A read's consumer that sent neither a message nor a heartbeat for this long is taken as lost (see consumer-stall-watch.ts). */
const READ_STALL_MS = 10_000;

/** Times a read goes on with a new consumer after losing one, before it fails. */
const MAX_RESUMPTIONS = 5;

/** Messages a read fetches one by one from the stream's leader before it reads the rest through a consumer. */
const MESSAGES_FETCHED_ONE_BY_ONE = 16;

/**
 * Visits the stored messages of the range, in stream order.
 *
 * Most reads are short (the new end of a stream this process knows: after a conflict, before a command), so the
 * first messages are fetched one by one with the stream's message-get API, which the stream's leader answers
 * (read-your-writes, as an append's acknowledgement) and which needs no consumer; a read that continues a long
 * one (`continuesLongRead`) skips them, as they would only cost it round trips. A longer read goes on from there
 * with an ephemeral ordered pull consumer in memory, deleted at the end, as the messages were when it was created:
 * its `num_pending` at creation counts the matching messages at or after its start, and the read stops after that
 * many, so a concurrent append neither blocks nor extends it.
 */
export async function visitMessages(js: JetStreamClient, streamName: string, range: MessageRange, visit: MessageVisitor): Promise<void> {
  const jsm = await js.jetstreamManager(false);
  let seq = Math.max(1, range.startSeq);
  const oneByOne = range.continuesLongRead ? 0 : MESSAGES_FETCHED_ONE_BY_ONE;
  for (let fetched = 0; fetched < oneByOne; fetched++) {
    // nats-server 2.9 takes `next_by_subj` (with wildcards) on this API; the client's type does not list it yet.
    const next = { seq, next_by_subj: range.filterSubject ?? '>' } as unknown as MsgRequest;
    const message = await jsm.streams.getMessage(streamName, next);
    if (!message) return;
    if (!visit(appendMessageOf(message))) return;
    seq = message.seq + 1;
  }
  const filter = range.filterSubject === undefined ? {} : { filter_subjects: range.filterSubject };
  // Counted once, on the first consumer: the read ends there whatever is appended meanwhile, across resumptions.
  let remaining: number | undefined;
  for (let resumed = 0; ; resumed++) {
    const consumer = await orderedConsumer(js, streamName, { opt_start_seq: seq, ...filter });
    try {
      remaining ??= (await consumer.info(true)).num_pending;
      if (remaining === 0) return;
      const messages = await consumer.consume({ max_messages: Math.min(remaining, PULL_BATCH) });
      // A consumer lost with a cluster node would leave the read waiting for ever: it goes on with a new one.
      const watch = watchForStall(messages, undefined, { stallMs: READ_STALL_MS, ordered: true });
      try {
        for await (const message of messages) {
          remaining--;
          seq = message.seq + 1;
          if (!visit(message) || remaining === 0) return;
          watch.alive();
        }
        if (watch.reason === undefined) throw new Error(`read of ${streamName} ended early: the connection closed`);
      } catch (error) {
        if (watch.reason === undefined || resumed >= MAX_RESUMPTIONS) throw error;
      } finally {
        watch.dispose();
        messages.stop();
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  }
}

function appendMessageOf(message: StoredMsg): AppendMessage {
  return { seq: message.seq, subject: message.subject, headers: message.header, json: <T>() => message.json<T>() };
}

/**
 * How long a read keeps trying to create its consumer. A fixed number of attempts was not enough: with a node lost,
 * five unanswered creations in a row (10 s) were seen while the cluster also elected a new meta leader.
 */
const CONSUMER_PATIENCE_MS = 30_000;

/**
 * Creates a long read's ordered consumer. nats-server 2.9 places such an R1 consumer on any peer of the stream it
 * does not know to be offline, and it keeps counting a cluster node that crashed as online for minutes: a creation
 * that lands there is never answered. Such a request times out (the store reads with a short API timeout) and is
 * made again, under a new name, which lands on a live node with odds of 2 in 3 per attempt on a 3-node cluster.
 */
async function orderedConsumer(js: JetStreamClient, streamName: string, options: Partial<OrderedConsumerOptions>): Promise<Consumer> {
  const deadline = Date.now() + CONSUMER_PATIENCE_MS;
  for (;;) {
    try {
      // A copy each time: nats.js writes the consumer's name into the options it is given.
      return await js.consumers.get(streamName, { ...options });
    } catch (error) {
      if (!(error instanceof errors.TimeoutError) || Date.now() >= deadline) throw error;
    }
  }
}
