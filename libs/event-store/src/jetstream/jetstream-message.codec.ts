import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { RecordedEvent } from '../event-store.port.js';
import { MAX_EVENTS_PER_APPEND } from '../limits.js';
import { recordedEvent, type SerialisedEvent } from '../shared/recorded-event.js';

/**
 * One append is one JetStream message: nats-server 2.9 has no atomic multi-message publish, so the batch
 * travels as a JSON array in a single message, with headers naming the stream and its version after the append.
 *
 * Global positions. The message with stream sequence `seq` holding `count` events gives its event `i`
 * (0-based) the position `seq * 1000 - (count - 1 - i)`: its LAST event sits at `seq * 1000`, the others just
 * below. Because an append carries at most MAX_EVENTS_PER_APPEND (1000) events, positions of different
 * messages never collide and increase with the sequence, so the global order is the stream order. Hence:
 * - headPosition() = last stream sequence * 1000 (0 for an empty stream);
 * - reading from position p starts at the message `ceil(p / 1000)` and skips its events below p.
 * Positions are not dense; the port allows gaps.
 */
export const POSITIONS_PER_MESSAGE = MAX_EVENTS_PER_APPEND;

export function eventPosition(seq: number, count: number, index: number): number {
  return seq * POSITIONS_PER_MESSAGE - (count - 1 - index);
}

export function lastPositionOf(seq: number): number {
  return seq * POSITIONS_PER_MESSAGE;
}

export function firstSequenceFor(position: number): number {
  return Math.max(1, Math.ceil(position / POSITIONS_PER_MESSAGE));
}

export const HEADER_STREAM_ID = 'Df-Stream-Id';
export const HEADER_STREAM_VERSION = 'Df-Stream-Version';
export const HEADER_EVENT_COUNT = 'Df-Event-Count';
/** Who wrote the message: the append's id, or a random one per append call (see JetStreamAppender). */
export const HEADER_APPEND_MARK = 'Df-Append-Mark';
/** Set by the client from `expect.lastSubjectSequence` and stored with the message: its subject's previous message. */
const HEADER_PREVIOUS_SEQ = 'Nats-Expected-Last-Subject-Sequence';

/**
 * The Nats-Msg-Id of the append that follows version `version` of a stream. Every append built on the same tail
 * carries the same id, so the server's duplicate detection lets exactly one of them in, even on a clustered
 * stream where nats-server 2.9 does not serialise the expected-last-subject-sequence check (see jetstream-appender.ts).
 */
export function slotIdOf(streamId: string, version: number): string {
  return `${streamId}@${version}`;
}

/** What the headers of an append message say. */
export interface AppendHeader {
  readonly streamId: string;
  /** The stream's version after this append (the version of its last event). */
  readonly streamVersion: number;
  readonly count: number;
}

export function appendHeaders(header: AppendHeader, mark: string): MsgHdrs {
  const h = headers();
  h.set(HEADER_STREAM_ID, header.streamId);
  h.set(HEADER_STREAM_VERSION, String(header.streamVersion));
  h.set(HEADER_EVENT_COUNT, String(header.count));
  h.set(HEADER_APPEND_MARK, mark);
  return h;
}

/** The mark of the append that wrote a message (undefined for messages written before marks existed). */
export function appendMarkOf(h: MsgHdrs | undefined): string | undefined {
  return h?.get(HEADER_APPEND_MARK) || undefined;
}

/** The sequence of the message before this one on its subject (0: it was the first), when the writer stated it. */
export function previousSequenceOf(h: MsgHdrs | undefined): number | undefined {
  const value = h?.get(HEADER_PREVIOUS_SEQ);
  const seq = value ? Number(value) : NaN;
  return Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
}

/**
 * Bytes the server counts against max_payload for an append message: the payload plus the header block, with
 * the largest possible numbers and the two headers the client adds (slot id and expectation).
 */
export function messageSize(payload: string, streamId: string, count: number, mark: string): number {
  const lines = [
    `${HEADER_STREAM_ID}: ${streamId}`,
    `${HEADER_STREAM_VERSION}: ${Number.MAX_SAFE_INTEGER}`,
    `${HEADER_EVENT_COUNT}: ${count}`,
    `${HEADER_APPEND_MARK}: ${mark}`,
    `${HEADER_PREVIOUS_SEQ}: ${'9'.repeat(20)}`,
    `Nats-Msg-Id: ${slotIdOf(streamId, Number.MAX_SAFE_INTEGER)}`,
  ];
  const headerBlock = `NATS/1.0\r\n${lines.map((line) => `${line}\r\n`).join('')}\r\n`;
  return Buffer.byteLength(payload, 'utf8') + Buffer.byteLength(headerBlock, 'utf8');
}

export function readAppendHeader(h: MsgHdrs | undefined, seq: number, subject: string): AppendHeader {
  const streamId = h?.get(HEADER_STREAM_ID) ?? '';
  const streamVersion = Number(h?.get(HEADER_STREAM_VERSION));
  const count = Number(h?.get(HEADER_EVENT_COUNT));
  if (!streamId || !Number.isSafeInteger(streamVersion) || !Number.isSafeInteger(count) || count < 1)
    throw new Error(`message ${seq} on ${subject} is not an event-store append: it lacks the ${HEADER_STREAM_ID}/${HEADER_STREAM_VERSION}/${HEADER_EVENT_COUNT} headers`);
  return { streamId, streamVersion, count };
}

/** A stored message as both JsMsg (consumers) and StoredMsg (direct reads) can present it. */
export interface AppendMessage {
  readonly seq: number;
  readonly subject: string;
  readonly headers: MsgHdrs | undefined;
  json<T>(): T;
}

export function decodeAppend(message: AppendMessage): { header: AppendHeader; events: RecordedEvent[] } {
  const header = readAppendHeader(message.headers, message.seq, message.subject);
  const stored = message.json<SerialisedEvent[]>();
  if (!Array.isArray(stored) || stored.length !== header.count)
    throw new Error(`message ${message.seq} on ${message.subject} holds ${Array.isArray(stored) ? stored.length : 'no'} events; its header says ${header.count}`);
  const firstVersion = header.streamVersion - header.count + 1;
  const events = stored.map((event, i) =>
    recordedEvent(event, header.streamId, firstVersion + i, eventPosition(message.seq, header.count, i)),
  );
  return { header, events };
}
