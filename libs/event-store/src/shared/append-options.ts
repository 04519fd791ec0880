import { InvalidAppendError, WrongExpectedVersionError } from '../event-store.errors.js';
import type { AppendOptions, ExpectedVersion } from '../event-store.port.js';

/** Longest append id: on JetStream it travels as the Df-Append-Mark header (the Nats-Msg-Id is the stream slot), and as a key elsewhere. */
const MAX_APPEND_ID_LENGTH = 256;

/** Refuses append options every adapter must refuse, before anything is written. */
export function validateAppendOptions(streamId: string, options: AppendOptions): void {
  const { expectedVersion, appendId } = options;
  const knownKeyword = expectedVersion === 'any' || expectedVersion === 'no_stream' || expectedVersion === 'stream_exists';
  const validNumber = typeof expectedVersion === 'number' && Number.isSafeInteger(expectedVersion) && expectedVersion >= 0;
  if (!knownKeyword && !validNumber)
    throw new InvalidAppendError(
      streamId,
      `expectedVersion must be a non-negative integer, 'no_stream', 'stream_exists' or 'any', not ${String(expectedVersion)}`,
    );
  if (appendId === undefined) return;
  // Printable ASCII without spaces: it must survive as a header value unchanged.
  if (typeof appendId !== 'string' || !/^[\x21-\x7e]+$/.test(appendId) || appendId.length > MAX_APPEND_ID_LENGTH)
    throw new InvalidAppendError(streamId, `appendId must be 1-${MAX_APPEND_ID_LENGTH} printable ASCII characters without spaces`);
}

export function isExpectedVersion(expected: ExpectedVersion, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 0;
    case 'stream_exists':
      return actual > 0;
    default:
      return actual === expected;
  }
}

export function assertExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  if (!isExpectedVersion(expected, actual)) throw new WrongExpectedVersionError(streamId, expected, actual);
}
