import type { ExpectedVersion } from './event-store.port.js';

/** Every error the store raises on purpose has a stable code, so callers never parse messages. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Another writer appended first: reload the stream, decide again, and retry. */
export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number,
  ) {
    super(`stream ${streamId}: expected version ${String(expectedVersion)}, but the stream is at version ${actualVersion}`);
  }
}

export class InvalidStreamIdError extends EventStoreError {
  readonly code = 'INVALID_STREAM_ID';
  constructor(
    readonly streamId: string,
    reason: string,
  ) {
    super(`invalid stream id ${JSON.stringify(streamId.slice(0, 200))}: ${reason}`);
  }
}

/** One event's serialised form (type, data and metadata) is over the limit. */
export class EventTooLargeError extends EventStoreError {
  readonly code = 'EVENT_TOO_LARGE';
  constructor(
    readonly streamId: string,
    readonly eventType: string,
    readonly sizeInBytes: number,
    readonly limitInBytes: number,
  ) {
    super(`event ${eventType} for stream ${streamId} is ${sizeInBytes} bytes; the limit is ${limitInBytes} bytes`);
  }
}

/** The append as a whole is over a limit (number of events, or what one store message can carry). */
export class AppendTooLargeError extends EventStoreError {
  readonly code = 'APPEND_TOO_LARGE';
  constructor(
    readonly streamId: string,
    reason: string,
  ) {
    super(`append to stream ${streamId} refused: ${reason}`);
  }
}

export class InvalidAppendError extends EventStoreError {
  readonly code = 'INVALID_APPEND';
  constructor(
    readonly streamId: string,
    reason: string,
  ) {
    super(`append to stream ${streamId} refused: ${reason}`);
  }
}

/** The store was closed: no more reads, appends or subscriptions through this instance. */
export class EventStoreClosedError extends EventStoreError {
  readonly code = 'EVENT_STORE_CLOSED';
  constructor(readonly adapter: string) {
    super(`the ${adapter} event store is closed`);
  }
}
