import { createHash } from 'node:crypto';
import { parseStreamId } from '../stream-id.js';

const SUBJECT_PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const CONSUMER_NAME = /^[A-Za-z0-9_-]+$/;

/** Where the store's events live on the server, with the subjects derived from it in one place. */
export class JetStreamNaming {
  constructor(
    readonly streamName: string,
    readonly subjectPrefix: string,
  ) {
    if (!STREAM_NAME.test(streamName)) throw new TypeError(`invalid JetStream stream name ${JSON.stringify(streamName)}: use 1-64 of [A-Za-z0-9_-]`);
    if (!SUBJECT_PREFIX.test(subjectPrefix))
      throw new TypeError(`invalid subject prefix ${JSON.stringify(subjectPrefix)}: use tokens of [A-Za-z0-9_-] joined by "."`);
  }

  /** Every subject the store writes: the stream captures exactly these. */
  get allSubjects(): string {
    return `${this.subjectPrefix}.>`;
  }

  /**
   * `<category>-<id>` maps to `<prefix>.<category>.<id>`. The stream id grammar (stream-id.ts) makes this one to
   * one: the category has no `-` or `.`, and the id's tokens are already subject tokens.
   */
  subjectOf(streamId: string): string {
    const { category, id } = parseStreamId(streamId);
    return `${this.subjectPrefix}.${category}.${id}`;
  }

  categorySubject(category: string): string {
    return `${this.subjectPrefix}.${category}.>`;
  }
}

/**
 * A durable consumer name for a subscription name. Names that are already valid consumer names are kept as
 * they are (readable in `nats consumer ls`); others have invalid characters replaced and a hash of the
 * original appended, so two different subscription names never share a consumer.
 */
export function consumerNameFor(subscriptionName: string): string {
  if (CONSUMER_NAME.test(subscriptionName) && subscriptionName.length <= 64) return subscriptionName;
  const readable = subscriptionName.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 48);
  const hash = createHash('sha256').update(subscriptionName).digest('hex').slice(0, 12);
  return `${readable}_${hash}`;
}
