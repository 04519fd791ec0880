import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { AppendTooLargeError, WrongExpectedVersionError } from '../event-store.errors.js';
import type { AppendResult, ExpectedVersion } from '../event-store.port.js';
import { isExpectedVersion } from '../shared/append-options.js';
import { appendHeaders, lastPositionOf, messageSize, readAppendHeader } from './jetstream-message.codec.js';
import type { JetStreamNaming } from './jetstream-naming.js';
import { EMPTY_TAIL, type KnownTail, type StreamVersionCache } from './stream-version-cache.js';

/** Each lost race means another append succeeded, so this only trips on a fault, never on honest contention. */
const MAX_ATTEMPTS = 100;

export interface AppendRequest {
  readonly streamId: string;
  readonly serialised: readonly string[];
  readonly expectedVersion: ExpectedVersion;
  readonly appendId: string | undefined;
}

/**
 * Optimistic concurrency on JetStream. The stream's version lives in the header of its subject's last message;
 * the append states which message it expects to be last (`expect.lastSubjectSequence`, 0 for an empty subject),
 * so of two appends built on the same tail the server stores exactly one and rejects the other with 10071.
 *
 * The tail comes from the cache when this process wrote or read the stream last, otherwise from a
 * last-by-subject lookup. A mismatch seen against a cached tail is re-checked against a fresh lookup before
 * it is reported; a 10071 means the tail moved, so the expectation is re-checked on the new tail: 'any' (and
 * any expectation still met) retries, the others raise WrongExpectedVersionError.
 */
export class JetStreamAppender {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly naming: JetStreamNaming,
    private readonly cache: StreamVersionCache,
    private readonly maxPayload: () => number,
  ) {}

  async append(request: AppendRequest): Promise<AppendResult> {
    const { streamId, serialised, expectedVersion, appendId } = request;
    const subject = this.naming.subjectOf(streamId);
    const payload = `[${serialised.join(',')}]`;
    const size = messageSize(payload, streamId, serialised.length, appendId);
    if (size > this.maxPayload())
      throw new AppendTooLargeError(
        streamId,
        `${serialised.length} events make a ${size}-byte message, and the NATS server takes at most ${this.maxPayload()} bytes (its max_payload); split the append`,
      );
    let tail = this.cache.get(streamId);
    let fresh = false;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (!tail || (!fresh && !isExpectedVersion(expectedVersion, tail.version))) {
        tail = await this.lookupTail(streamId, subject);
        fresh = true;
      }
      if (!isExpectedVersion(expectedVersion, tail.version)) {
        const original = await this.originalOfRetry(subject, payload, tail, request);
        if (original) return original;
        throw new WrongExpectedVersionError(streamId, expectedVersion, tail.version);
      }
      const header = { streamId, streamVersion: tail.version + serialised.length, count: serialised.length };
      try {
        const ack = await this.js.publish(subject, payload, {
          headers: appendHeaders(header),
          expect: { lastSubjectSequence: tail.seq },
          ...(appendId === undefined ? {} : { msgID: appendId }),
        });
        if (ack.duplicate) return this.resultOfMessage(ack.seq);
        this.cache.remember(streamId, { version: header.streamVersion, seq: ack.seq, count: header.count });
        return { streamVersion: header.streamVersion, globalPosition: lastPositionOf(ack.seq) };
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
        this.cache.forget(streamId);
        tail = undefined;
      }
    }
    throw new Error(`append to ${streamId} lost the race ${MAX_ATTEMPTS} times in a row`);
  }

  private async lookupTail(streamId: string, subject: string): Promise<KnownTail> {
    const last = await this.jsm.streams.getMessage(this.naming.streamName, { last_by_subj: subject });
    if (!last) return EMPTY_TAIL;
    const header = readAppendHeader(last.header, last.seq, last.subject);
    const tail = { version: header.streamVersion, seq: last.seq, count: header.count };
    this.cache.remember(streamId, tail);
    return tail;
  }

  /**
   * An append retried after a lost acknowledgement arrives with an expectation its first attempt already made
   * stale. The server's duplicate check runs before its expectation checks, so publishing once more with an
   * expectation that can no longer hold (a sequence below the current tail; sequences only grow and the stream
   * denies deletes) returns the original as a duplicate, and is refused with 10071 otherwise.
   */
  private async originalOfRetry(subject: string, payload: string, tail: KnownTail, request: AppendRequest): Promise<AppendResult | undefined> {
    const { streamId, serialised, appendId } = request;
    if (appendId === undefined || tail.seq === 0) return undefined;
    try {
      const ack = await this.js.publish(subject, payload, {
        headers: appendHeaders({ streamId, streamVersion: tail.version + serialised.length, count: serialised.length }),
        msgID: appendId,
        expect: { lastSubjectSequence: tail.seq - 1 },
      });
      if (ack.duplicate) return this.resultOfMessage(ack.seq);
      throw new Error(`append id ${appendId}: a publish that could only be a duplicate was stored as message ${ack.seq}`);
    } catch (error) {
      if (isWrongLastSequence(error)) return undefined;
      throw error;
    }
  }

  private async resultOfMessage(seq: number): Promise<AppendResult> {
    const message = await this.jsm.streams.getMessage(this.naming.streamName, { seq });
    if (!message) throw new Error(`message ${seq} acknowledged as a duplicate is missing from ${this.naming.streamName}`);
    const header = readAppendHeader(message.header, message.seq, message.subject);
    return { streamVersion: header.streamVersion, globalPosition: lastPositionOf(seq) };
  }
}

function isWrongLastSequence(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence;
}
