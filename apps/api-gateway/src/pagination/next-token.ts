import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidParameter } from '@daemonfleet/domain';

/**
 * Opaque, tamper-checked `nextToken`s (decision 14). A token carries the sort key of the last item returned,
 * signed together with the operation and the request's filters: a forged, edited or foreign token is refused.
 * Pages follow the sort key, not an offset, so items added meanwhile shift nothing.
 */
export class NextTokens {
  constructor(private readonly secret: string) {}

  page<T>(
    operation: string,
    filters: unknown,
    items: readonly T[],
    sortKey: (item: T) => string,
    { maxResults, nextToken }: { maxResults: number; nextToken?: string },
  ): { items: T[]; nextToken?: string } {
    const after = nextToken === undefined ? undefined : this.decode(operation, filters, nextToken);
    // Each key is built once, and only what lies after the cursor is sorted: lists reach 10,000 instances.
    const keyed = items.map((item) => ({ item, key: sortKey(item) }));
    const remaining = (after === undefined ? keyed : keyed.filter(({ key }) => compare(key, after) > 0)).sort((a, b) => compare(a.key, b.key));
    const page = remaining.slice(0, maxResults);
    const pageItems = page.map(({ item }) => item);
    if (remaining.length <= maxResults) return { items: pageItems };
    return { items: pageItems, nextToken: this.encode(operation, filters, page.at(-1)!.key) };
  }

  /**
   * A token for paging that does not list its items in memory (a stream read page by page): it carries `cursor`,
   * where the next page starts, signed with the operation and filters as the tokens of `page` are.
   */
  cursorToken(operation: string, filters: unknown, cursor: string): string {
    return this.encode(operation, filters, cursor);
  }

  /** The cursor a `cursorToken` carries; a forged, edited or foreign token is refused. */
  cursorOf(operation: string, filters: unknown, token: string): string {
    return this.decode(operation, filters, token);
  }

  private encode(operation: string, filters: unknown, lastKey: string): string {
    const payload = Buffer.from(JSON.stringify({ k: lastKey })).toString('base64url');
    return `${payload}.${this.sign(operation, filters, payload)}`;
  }

  private decode(operation: string, filters: unknown, token: string): string {
    const [payload, signature, extra] = token.split('.');
    const expected = Buffer.from(payload ? this.sign(operation, filters, payload) : '');
    // Compare byte lengths, not string lengths: timingSafeEqual throws on buffers of different sizes, and a
    // forged signature with non-ASCII characters can have the right string length but not the right byte length.
    const given = Buffer.from(signature ?? '');
    const valid = extra === undefined && signature !== undefined && given.length === expected.length && timingSafeEqual(given, expected);
    if (!valid) throw new InvalidParameter('nextToken', 'nextToken: the token is not valid for this request');
    return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { k: string }).k;
  }

  private sign(operation: string, filters: unknown, payload: string): string {
    return createHmac('sha256', this.secret).update(`${operation}\n${JSON.stringify(filters)}\n${payload}`).digest('base64url');
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A sort key that orders by a time, then by a tie-breaker; `descending` puts the newest first. */
export function timeSortKey(epochMillis: number, tieBreaker: string, { descending = false } = {}): string {
  const time = descending ? 9_999_999_999_999 - epochMillis : epochMillis;
  return `${String(time).padStart(13, '0')}|${tieBreaker}`;
}

/** ListDaemonTaskDefinitions' order: family, then revision (zero-padded so the string order is the numeric one), inverted for DESC. */
export function familyRevisionSortKey(family: string, revision: number, { descending = false } = {}): string {
  const key = `${family}\u0000${String(revision).padStart(10, '0')}`;
  return descending ? [...key].map((c) => String.fromCharCode(0xffff - c.charCodeAt(0))).join('') : key;
}
