import { InvalidParameter } from '@daemonfleet/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NextTokens, timeSortKey } from './next-token.js';

describe('NextTokens', () => {
  describe('paging', () => {
    it('answers the first page in sort order, with a nextToken when more remain', () => {
      const first = tokens.page(OPERATION, filters, shuffled, byName, { maxResults: 2 });

      expect(first.items.map(byName)).toEqual(['a', 'b']);
      expect(first.nextToken).toEqual(expect.any(String));
    });

    it('follows a nextToken to the next page, and leaves it out on the last page', () => {
      const first = tokens.page(OPERATION, filters, shuffled, byName, { maxResults: 2 });
      const second = tokens.page(OPERATION, filters, shuffled, byName, { maxResults: 2, nextToken: first.nextToken });
      const third = tokens.page(OPERATION, filters, shuffled, byName, { maxResults: 2, nextToken: second.nextToken });

      expect(second.items.map(byName)).toEqual(['c', 'd']);
      expect(third).toEqual({ items: [item('e')] });
    });

    it('answers no nextToken when the items fit exactly', () => {
      expect(tokens.page(OPERATION, filters, shuffled, byName, { maxResults: 5 })).toEqual({ items: ['a', 'b', 'c', 'd', 'e'].map(item) });
      expect(tokens.page(OPERATION, filters, [], byName, { maxResults: 5 })).toEqual({ items: [] });
    });

    it('does not shift the next page when items are added before the cursor between pages', () => {
      const first = tokens.page(OPERATION, filters, shuffled, byName, { maxResults: 2 });
      const grown = [...shuffled, item('a0'), item('aa'), item('B')];

      const second = tokens.page(OPERATION, filters, grown, byName, { maxResults: 2, nextToken: first.nextToken });

      expect(second.items.map(byName)).toEqual(['c', 'd']);
    });

    it('shows an item added after the cursor between pages on a later page', () => {
      const first = tokens.page(OPERATION, filters, shuffled, byName, { maxResults: 2 });
      const grown = [...shuffled, item('b0')];

      const second = tokens.page(OPERATION, filters, grown, byName, { maxResults: 2, nextToken: first.nextToken });

      expect(second.items.map(byName)).toEqual(['b0', 'c']);
    });

    it('skips nothing when the item the cursor points at is removed between pages', () => {
      const first = tokens.page(OPERATION, filters, shuffled, byName, { maxResults: 2 });
      const shrunk = shuffled.filter((i) => i.name !== 'b');

      expect(tokens.page(OPERATION, filters, shrunk, byName, { maxResults: 2, nextToken: first.nextToken }).items.map(byName)).toEqual(['c', 'd']);
    });

    it('does not reorder the caller’s list', () => {
      const items = [...shuffled];
      tokens.page(OPERATION, filters, items, byName, { maxResults: 2 });
      expect(items).toEqual(shuffled);
    });

    it('visits every item exactly once, in order, for any item set and page size', () => {
      fc.assert(
        fc.property(fc.uniqueArray(fc.string({ maxLength: 6 }), { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (names, maxResults) => {
          const items = names.map(item);
          const visited: string[] = [];
          let nextToken: string | undefined;
          let pages = 0;
          do {
            const page = tokens.page(OPERATION, filters, items, byName, { maxResults, nextToken });
            expect(page.items.length).toBeLessThanOrEqual(maxResults);
            if (page.nextToken !== undefined) expect(page.items).toHaveLength(maxResults);
            visited.push(...page.items.map(byName));
            nextToken = page.nextToken;
            pages++;
          } while (nextToken !== undefined);
          expect(visited).toEqual([...names].sort(byCodeUnits));
          expect(pages).toBe(Math.max(1, Math.ceil(names.length / maxResults)));
        }),
      );
    });
  });

  describe('refuses a token that is not its own for this request', () => {
    it.each([
      ['an invented token', () => 'not-a-token'],
      ['an empty token', () => ''],
      ['a token with its payload edited', () => editPayload(firstToken(), 'z')],
      ['a token with its signature edited', () => flipLastCharacter(firstToken())],
      ['a token with an extra part', () => `${firstToken()}.extra`],
      ['a token without its signature', () => firstToken().split('.')[0]],
      ['a token of another secret', () => tokenOf(new NextTokens('another-secret-of-enough-length'))],
      ['a token signed with a non-ASCII signature of the right length', () => withSignature(firstToken(), (s) => `é${s.slice(1)}`)],
    ])('%s', (_what, token) => {
      expect(refusal(() => tokens.page(OPERATION, filters, shuffled, byName, { maxResults: 2, nextToken: token() }))).toEqual(invalidNextToken);
    });

    it('a token of another operation', () => {
      const token = firstToken();
      expect(refusal(() => tokens.page('ListDaemons', filters, shuffled, byName, { maxResults: 2, nextToken: token }))).toEqual(invalidNextToken);
    });

    it('a token of other filters', () => {
      const token = firstToken();
      expect(refusal(() => tokens.page(OPERATION, { ...filters, status: 'ALL' }, shuffled, byName, { maxResults: 2, nextToken: token }))).toEqual(
        invalidNextToken,
      );
    });

    it('any forged token, shaped like a real one or not', () => {
      const valid = firstToken();
      const [validPayload] = valid.split('.');
      const anyText = fc.string({ unit: 'binary', maxLength: 120 });
      // A real signature is 43 base64url characters; forgeries of that length may hold characters of any byte size.
      const bmpCharacter = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xd7ff })).map((code) => String.fromCharCode(code));
      const signatureLike = fc.string({ unit: bmpCharacter, minLength: SIGNATURE_LENGTH, maxLength: SIGNATURE_LENGTH });
      const payload = fc.oneof(fc.constant(validPayload), fc.string({ maxLength: 40 }));
      const forgery = fc.oneof(anyText, fc.tuple(payload, signatureLike).map(([p, s]) => `${p}.${s}`));
      fc.assert(
        fc.property(forgery, (forged) => {
          fc.pre(forged !== valid);
          expect(refusal(() => tokens.page(OPERATION, filters, shuffled, byName, { maxResults: 2, nextToken: forged }))).toEqual(invalidNextToken);
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('timeSortKey', () => {
  it('orders ascending by time', () => {
    expect(sortedBy([at(3_000, 'x'), at(1_000, 'y'), at(2_000, 'z')], (e) => timeSortKey(e.time, e.id))).toEqual(['y', 'z', 'x']);
  });

  it('orders descending by time with { descending: true }', () => {
    expect(sortedBy([at(3_000, 'x'), at(1_000, 'y'), at(2_000, 'z')], (e) => timeSortKey(e.time, e.id, { descending: true }))).toEqual(['x', 'z', 'y']);
  });

  it('breaks ties by the tie-breaker, in both directions', () => {
    const tied = [at(5_000, 'b'), at(5_000, 'a'), at(5_000, 'c')];
    expect(sortedBy(tied, (e) => timeSortKey(e.time, e.id))).toEqual(['a', 'b', 'c']);
    expect(sortedBy(tied, (e) => timeSortKey(e.time, e.id, { descending: true }))).toEqual(['a', 'b', 'c']);
  });

  it('agrees with comparing (time, tie-breaker) for any two entries up to year 2286', () => {
    const entry = fc.record({ time: fc.integer({ min: 0, max: 9_999_999_999_999 }), id: fc.string({ maxLength: 8 }) });
    fc.assert(
      fc.property(entry, entry, fc.boolean(), (a, b, descending) => {
        const byKey = Math.sign(byCodeUnits(timeSortKey(a.time, a.id, { descending }), timeSortKey(b.time, b.id, { descending })));
        const byTime = descending ? Math.sign(b.time - a.time) : Math.sign(a.time - b.time);
        expect(byKey).toBe(byTime !== 0 ? byTime : Math.sign(byCodeUnits(a.id, b.id)));
      }),
    );
  });

  it('pages deployments newest first across pages', () => {
    const deployments = [at(1_000, 'd1'), at(4_000, 'd4'), at(2_000, 'd2'), at(3_000, 'd3')];
    const key = (e: Entry) => timeSortKey(e.time, e.id, { descending: true });
    const first = tokens.page('ListDaemonDeployments', {}, deployments, key, { maxResults: 3 });
    const second = tokens.page('ListDaemonDeployments', {}, deployments, key, { maxResults: 3, nextToken: first.nextToken });
    expect([...first.items, ...second.items].map((e) => e.id)).toEqual(['d4', 'd3', 'd2', 'd1']);
  });
});

// Fixtures last.

const OPERATION = 'ListDaemonTaskDefinitions';
const SIGNATURE_LENGTH = 43;
const filters = { familyPrefix: 'monitoring', status: 'ACTIVE' };
const tokens = new NextTokens('a-pagination-secret-for-tests');

interface Item {
  readonly name: string;
}
const item = (name: string): Item => ({ name });
const byName = (i: Item) => i.name;
const shuffled = ['d', 'a', 'e', 'c', 'b'].map(item);

interface Entry {
  readonly time: number;
  readonly id: string;
}
const at = (time: number, id: string): Entry => ({ time, id });

/** The order the pager uses: UTF-16 code units, as JavaScript's < on strings. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortedBy = (entries: Entry[], key: (e: Entry) => string) => [...entries].sort((a, b) => byCodeUnits(key(a), key(b))).map((e) => e.id);

const invalidNextToken = { type: 'InvalidParameter', code: 'INVALID_PARAMETER', field: 'nextToken' };

const tokenOf = (pager: NextTokens) => pager.page(OPERATION, filters, shuffled, byName, { maxResults: 2 }).nextToken!;
const firstToken = () => tokenOf(tokens);

/** The same cursor format with another key: what someone who read the token would forge. */
function editPayload(token: string, key: string): string {
  const [, signature] = token.split('.');
  return `${Buffer.from(JSON.stringify({ k: key })).toString('base64url')}.${signature}`;
}

function flipLastCharacter(token: string): string {
  return token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
}

function withSignature(token: string, change: (signature: string) => string): string {
  const [payload, signature] = token.split('.');
  return `${payload}.${change(signature)}`;
}

/** What the pager threw, reduced to what the caller relies on; a thrown error of another kind fails the test. */
function refusal(run: () => unknown): { type: string; code: string; field: unknown } {
  try {
    run();
  } catch (error) {
    if (!(error instanceof InvalidParameter)) throw error;
    return { type: error.name, code: error.code, field: error.details?.field };
  }
  throw new Error('expected the token to be refused');
}
