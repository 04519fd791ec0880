import { INSTANCE_ID_PATTERN } from '@daemonfleet/contracts';
import { describe, expect, it } from 'vitest';
import { randomIds, systemClock } from './clock.js';

describe('systemClock', () => {
  it('reads the wall clock in epoch milliseconds', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});

describe('randomIds', () => {
  describe('deploymentId', () => {
    it('is 16 characters of [A-Za-z0-9]', () => {
      for (const id of draw(randomIds.deploymentId)) expect(id).toMatch(/^[A-Za-z0-9]{16}$/);
    });

    it('draws from the whole alphabet, and never repeats in practice', () => {
      const ids = draw(randomIds.deploymentId);
      const used = new Set(ids.join(''));
      expect([...ALPHANUMERIC].filter((c) => !used.has(c))).toEqual([]);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });

  describe('revisionId', () => {
    it('is 19 decimal digits, a positive number below 2^63 - 1', () => {
      for (const id of draw(randomIds.revisionId)) {
        expect(id).toMatch(/^[1-9][0-9]{18}$/);
        expect(BigInt(id) > 0n).toBe(true);
        expect(BigInt(id) < INT64_MAX).toBe(true);
      }
    });

    it('varies in its leading digit and never repeats in practice', () => {
      const ids = draw(randomIds.revisionId);
      expect(new Set(ids.map((id) => id[0])).size).toBeGreaterThan(1);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });

  describe('instanceId', () => {
    it('is i- and 17 lower-case hex digits, as EC2 instance ids (the contracts’ pattern), fresh every time', () => {
      const ids = draw(randomIds.instanceId);
      for (const id of ids) expect(id).toMatch(INSTANCE_ID_PATTERN);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids.map((id) => id.slice(2)).join(''))).toEqual(new Set('0123456789abcdef'));
    });
  });

  describe('taskId', () => {
    it('is 32 lower-case hex digits, as ECS task ids, fresh every time', () => {
      const ids = draw(randomIds.taskId);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });

  describe('uuid', () => {
    it('is a version 4 UUID, fresh every time', () => {
      const ids = draw(randomIds.uuid);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });
});

// Fixtures last.

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const INT64_MAX = 2n ** 63n - 1n;

/** Enough draws that a missing character of the alphabet is all but impossible (62 × (61/62)^32000 ≈ 0). */
const draw = (next: () => string): string[] => Array.from({ length: 2000 }, next);
