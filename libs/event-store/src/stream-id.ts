import { InvalidStreamIdError } from './event-store.errors.js';

/**
 * Stream ids are `<category>-<id>`:
 * - the category is a lower-camel-case word (`daemon`, `daemonDeployment`) and never contains `-`, so the first
 *   `-` always ends it;
 * - the id is one or more tokens of `[A-Za-z0-9_-]` joined by `.`, so composite ids (`account.region.cluster`)
 *   stay unambiguous as long as each part is a token, and every stream id maps one-to-one onto a NATS subject
 *   (`<prefix>.<category>.<id>`) without escaping.
 */
const CATEGORY = /^[a-z][a-zA-Z0-9]{0,63}$/;
const ID = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
export const MAX_STREAM_ID_LENGTH = 1024;

export interface ParsedStreamId {
  readonly category: string;
  readonly id: string;
}

export function parseStreamId(streamId: string): ParsedStreamId {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new InvalidStreamIdError(String(streamId), 'it is empty');
  if (streamId.length > MAX_STREAM_ID_LENGTH)
    throw new InvalidStreamIdError(streamId, `it is longer than ${MAX_STREAM_ID_LENGTH} characters`);
  const dash = streamId.indexOf('-');
  if (dash <= 0) throw new InvalidStreamIdError(streamId, 'it must look like <category>-<id>');
  const category = streamId.slice(0, dash);
  const id = streamId.slice(dash + 1);
  if (!CATEGORY.test(category)) throw new InvalidStreamIdError(streamId, 'the category must be a word of letters and digits starting with a lower-case letter');
  if (!ID.test(id)) throw new InvalidStreamIdError(streamId, 'the id must be tokens of letters, digits, "_" or "-", joined by "."');
  return { category, id };
}

export function categoryOf(streamId: string): string {
  return parseStreamId(streamId).category;
}
