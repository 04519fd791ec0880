import { randomUUID } from 'node:crypto';
import type { JetStreamClient, JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import { AppendTooLargeError, WrongExpectedVersionError } from '../event-store.errors.js';
import type { AppendResult, ExpectedVersion } from '../event-store.port.js';
import { isExpectedVersion } from '../shared/append-options.js';
import { isAmbiguousPublishFailure, isWrongLastSequence } from './jetstream-errors.js';
import { appendHeaders, appendMarkOf, lastPositionOf, messageSize, readAppendHeader, slotIdOf } from './jetstream-message.codec.js';
import type { JetStreamNaming } from './jetstream-naming.js';
import { findOwnAppend, type OwnAppendSearch } from './own-append-search.js';
import { EMPTY_TAIL, type KnownTail, type StreamVersionCache } from './stream-version-cache.js';

/** Each lost race means another append succeeded, so this only trips on a fault, never on honest contention. */
const MAX_LOST_RACES = 100;
/** How long an append keeps publishing again after answers it cannot read (a stream electing a leader, a reconnect). */
const AMBIGUOUS_RETRY_MS = 30_000;
const AMBIGUOUS_PAUSE_MS = 250;

export interface AppendRequest {
  readonly streamId: string;
  readonly serialised: readonly string[];
  readonly expectedVersion: ExpectedVersion;
  readonly appendId: string | undefined;
}

type PublishOutcome =
  | { readonly kind: 'stored'; readonly result: AppendResult }
  /** Another append took the slot or moved the tail: look the tail up again. */
  | { readonly kind: 'lost' }
  /** Nobody can tell whether the message was stored: publish it again on the same tail. */
  | { readonly kind: 'ambiguous'; readonly error: unknown };

/**
 * Optimistic concurrency on JetStream, one message per append (so an append is atomic).
 *
 * The stream's version lives in the headers of its subject's last message (its tail). An append built on a tail is
 * published with two guards:
 * - `Nats-Msg-Id` = the slot id (stream id + the tail's version): every append built on the same tail carries the
 *   same id, and the server's duplicate detection, which a clustered stream leader applies to proposals still in
 *   flight, stores exactly one of them. This is what serialises appends: nats-server 2.9 checks the expectation
 *   below only against what its leader has already applied, so concurrent appends on an R3 stream each pass it
 *   (nats-server#4320) and used to leave two messages with the same version.
 * - the expected last subject sequence (the tail's sequence): it refuses an append on a tail that is older than
 *   the duplicate window, which the slot id alone no longer would.
 * A duplicate answer names the message holding the slot; its `Df-Append-Mark` header (the append id, or a random
 * id per call) tells whether it is this append's own earlier attempt or another append's. Publishing the same
 * message again is therefore always safe, so an attempt whose answer was lost (timeout, no responders, a 503 during
 * a leader election) is simply published again on the same tail until it is answered.
 *
 * An append with an appendId first looks for its own message on the stream (a caller retrying after a lost
 * acknowledgement), back through the duplicate window, and answers with that message's result if it is there.
 */
export class JetStreamAppender {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly naming: JetStreamNaming,
    private readonly cache: StreamVersionCache,
    private readonly maxPayload: () => number,
    /** The stream's duplicate window: how far back the server remembers slot ids, and a retried append looks. */
    private readonly duplicateWindowMs: number,
  ) {}

  async append(request: AppendRequest): Promise<AppendResult> {
    const { streamId, serialised, expectedVersion, appendId } = request;
    const subject = this.naming.subjectOf(streamId);
    const payload = `[${serialised.join(',')}]`;
    const mark = appendId ?? randomUUID();
    const size = messageSize(payload, streamId, serialised.length, mark);
    if (size > this.maxPayload())
      throw new AppendTooLargeError(
        streamId,
        `${serialised.length} events make a ${size}-byte message, and the NATS server takes at most ${this.maxPayload()} bytes (its max_payload); split the append`,
      );
    // Where this append's own message may already be: anywhere in the duplicate window for a caller's retry.
    let search: OwnAppendSearch | undefined = appendId === undefined ? undefined : { afterSeq: 0, since: Date.now() - this.duplicateWindowMs };
    let tail = appendId === undefined ? this.cache.get(streamId) : undefined;
    let fresh = false;
    const deadline = Date.now() + AMBIGUOUS_RETRY_MS;
    for (let lostRaces = 0; lostRaces < MAX_LOST_RACES; ) {
      if (!tail || (!fresh && !isExpectedVersion(expectedVersion, tail.version))) {
        const looked = await this.patiently(deadline, () => this.lookupTail(streamId, subject));
        tail = looked.tail;
        fresh = true;
        const since = search;
        if (since) {
          const own = await this.patiently(deadline, () => findOwnAppend(this.jsm, this.naming.streamName, looked.last, mark, since));
          if (own) return this.resultOf(own);
        }
      }
      if (!isExpectedVersion(expectedVersion, tail.version)) throw new WrongExpectedVersionError(streamId, expectedVersion, tail.version);
      const outcome = await this.publishOn(tail, subject, payload, streamId, serialised.length, mark);
      if (outcome.kind === 'stored') return outcome.result;
      if (outcome.kind === 'lost') {
        lostRaces++;
        this.cache.forget(streamId);
        tail = undefined;
        fresh = false;
        continue;
      }
      if (Date.now() >= deadline) throw outcome.error;
      // The message may have been stored after this tail: once the tail has moved, look for it from here.
      search = search ? { ...search, afterSeq: Math.min(search.afterSeq, tail.seq) } : { afterSeq: tail.seq, since: 0 };
      await new Promise((resolve) => setTimeout(resolve, AMBIGUOUS_PAUSE_MS));
    }
    throw new Error(`append to ${streamId} lost the race ${MAX_LOST_RACES} times in a row`);
  }

  private async publishOn(tail: KnownTail, subject: string, payload: string, streamId: string, count: number, mark: string): Promise<PublishOutcome> {
    const header = { streamId, streamVersion: tail.version + count, count };
    try {
      const ack = await this.js.publish(subject, payload, {
        headers: appendHeaders(header, mark),
        msgID: slotIdOf(streamId, tail.version),
        expect: { lastSubjectSequence: tail.seq },
      });
      if (!ack.duplicate) {
        this.cache.remember(streamId, { version: header.streamVersion, seq: ack.seq, count });
        return { kind: 'stored', result: { streamVersion: header.streamVersion, globalPosition: lastPositionOf(ack.seq) } };
      }
      // A duplicate of a proposal not yet stored has no sequence to show yet.
      if (ack.seq === 0) return { kind: 'ambiguous', error: new Error(`the slot of ${streamId} after version ${tail.version} is being written`) };
      const holder = await this.jsm.streams.getMessage(this.naming.streamName, { seq: ack.seq }).catch((error: unknown) => {
        if (isAmbiguousPublishFailure(error)) return 'unknown' as const;
        throw error;
      });
      if (holder === 'unknown') return { kind: 'ambiguous', error: new Error(`the holder of the slot of ${streamId} after version ${tail.version} could not be read`) };
      if (!holder) throw new Error(`message ${ack.seq} acknowledged as holding a slot of ${streamId} is missing from ${this.naming.streamName}`);
      return appendMarkOf(holder.header) === mark ? { kind: 'stored', result: this.resultOf(holder) } : { kind: 'lost' };
    } catch (error) {
      if (isWrongLastSequence(error)) return { kind: 'lost' };
      if (isAmbiguousPublishFailure(error)) return { kind: 'ambiguous', error };
      throw error;
    }
  }

  /** Runs a read again while the stream cannot answer (reads change nothing, so repeating them is always safe). */
  private async patiently<T>(deadline: number, read: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await read();
      } catch (error) {
        if (!isAmbiguousPublishFailure(error) || Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, AMBIGUOUS_PAUSE_MS));
      }
    }
  }

  private async lookupTail(streamId: string, subject: string): Promise<{ tail: KnownTail; last: StoredMsg | undefined }> {
    const last = (await this.jsm.streams.getMessage(this.naming.streamName, { last_by_subj: subject })) ?? undefined;
    if (!last) return { tail: EMPTY_TAIL, last };
    const header = readAppendHeader(last.header, last.seq, last.subject);
    const tail = { version: header.streamVersion, seq: last.seq, count: header.count };
    this.cache.remember(streamId, tail);
    return { tail, last };
  }

  private resultOf(message: StoredMsg): AppendResult {
    const header = readAppendHeader(message.header, message.seq, message.subject);
    return { streamVersion: header.streamVersion, globalPosition: lastPositionOf(message.seq) };
  }
}
