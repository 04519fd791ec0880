/**
 * The event store port (architecture section 3), modelled on the EventStoreDB/KurrentDB client and Emmett.
 *
 * Vocabulary:
 * - A stream holds the events of one aggregate instance, named `<category>-<id>` (see stream-id.ts).
 * - Stream versions count events: the first event of a stream has version 1; a stream's version is the
 *   version of its last event, 0 when it has none.
 * - Global positions order every event of the store. They are positive integers that strictly increase in
 *   the store's global order; they are not guaranteed to be dense (an adapter may leave gaps).
 */

/** What the writer expects the stream's version to be before its append. */
export type ExpectedVersion =
  | number // the stream's version must equal this (0 means: the stream must not exist yet)
  | 'no_stream' // same as 0
  | 'stream_exists' // the stream must have at least one event
  | 'any'; // no expectation; the append is still serialised with concurrent appends to the stream

export interface EventMetadata {
  /** Chosen by the writer, unique per event. */
  readonly eventId: string;
  /** When the fact happened, ISO-8601 UTC, chosen by the writer (the domain's `now`). */
  readonly occurredAt: string;
  /** The request this event ultimately comes from. */
  readonly correlationId?: string;
  /** The message (command or event id) that directly caused this event. */
  readonly causationId?: string;
  /** Version of the event's data schema; old versions are upcast on read, never rewritten. */
  readonly schemaVersion: number;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  readonly streamId: string;
  /** 1-based position of the event in its stream. */
  readonly streamVersion: number;
  /** Position of the event in the whole store. */
  readonly globalPosition: number;
}

export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion;
  /**
   * Identifies this append call. A retried append (for example after a lost acknowledgement) with the same id
   * is not stored again: the store answers with the result of the first one.
   */
  readonly appendId?: string;
}

export interface AppendResult {
  /** Version of the stream after the append (the version of its last event). */
  readonly streamVersion: number;
  /** Global position of the last event appended. */
  readonly globalPosition: number;
}

export interface ReadStreamOptions {
  /** First version to return, inclusive. Default 1. */
  readonly fromVersion?: number;
  readonly maxCount?: number;
}

/** Restricts a read or a subscription to some stream categories (the part of the stream id before `-`). */
export interface EventFilter {
  readonly categories?: readonly string[];
}

export interface ReadAllOptions {
  /** First global position to return, inclusive. Default: the beginning of the store. */
  readonly fromPosition?: number;
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

export type EventHandler = (event: RecordedEvent) => Promise<void> | void;

export interface SubscribeOptions {
  /**
   * A durable subscription has a name: its checkpoint (the last position handled) is stored in the store, and a
   * later subscription with the same name resumes after it, even in another process. Without a name the
   * subscription is ephemeral and starts at `fromPosition`.
   */
  readonly name?: string;
  /** Where a subscription with no stored checkpoint starts, inclusive. Default: the beginning of the store. */
  readonly fromPosition?: number;
  readonly filter?: EventFilter;
  /** Told about every failed attempt of the handler; the event is retried, with backoff, until it succeeds. */
  readonly onHandlerError?: (error: unknown, event: RecordedEvent, attempt: number) => void;
}

/**
 * Delivery is at least once and in global order: the handler sees one event at a time, and an event is only
 * checkpointed once its handler has returned. After a crash some events may be delivered again; handlers
 * must be idempotent. A handler that throws is retried on the same event; later events wait.
 */
export interface Subscription {
  /** Position of the last event whose handler returned (0 before the first). */
  readonly lastHandledPosition: number;
  /** Resolves once the subscription has handled every event that was in the store when it started. */
  readonly caughtUp: Promise<void>;
  /** Stops delivery after the event in hand (if any) and stores the checkpoint. */
  stop(): Promise<void>;
}

export interface EventStore {
  appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** The stream's events from `fromVersion` on, in order; an empty list for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of every stream in global order, from `fromPosition` on; at most `maxCount` (default 1000) per call. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Global position of the last event in the store, 0 when it is empty. */
  headPosition(): Promise<number>;
  subscribe(options: SubscribeOptions, handler: EventHandler): Promise<Subscription>;
  /** Answers once the store can take reads and appends; throws with the reason when it cannot. */
  checkHealth(): Promise<void>;
  close(): Promise<void>;
}
