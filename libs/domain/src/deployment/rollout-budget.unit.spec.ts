import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InstanceState } from '../fleet/fleet.state.js';
import { batchSize, circuitBreakerThreshold, nextBatch } from './rollout-budget.js';

describe('batchSize = max(1, ceil(N × drainPercent / 100))', () => {
  it.each([
    // [instances in scope, drainPercent, batch size]
    [0, 25, 1],
    [1, 25, 1],
    [3, 10, 1],
    [4, 25, 1],
    [5, 25, 2],
    [8, 25, 2],
    [9, 25, 3],
    [10, 100, 10],
    [10, 0, 1],
    [100, 7, 7],
    [100, 0.5, 1],
    [200, 0.5, 1],
    [201, 0.5, 2],
    [3, 33.3, 1],
    [3, 33.4, 2],
    [10_000, 25, 2_500],
    [10_000, 0.01, 1],
  ])('N=%i at %f%% drains %i at a time', (n, drainPercent, expected) => {
    expect(batchSize(n, drainPercent)).toBe(expected);
  });

  it('is at least 1 and at most max(1, N) for every N and drainPercent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 100, noNaN: true }), (n, drainPercent) => {
        const size = batchSize(n, drainPercent);
        return Number.isInteger(size) && size >= 1 && size <= Math.max(1, n);
      }),
    );
  });

  it('never shrinks as drainPercent grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (n, a, b) =>
        batchSize(n, Math.min(a, b)) <= batchSize(n, Math.max(a, b)),
      ),
    );
  });
});

describe('circuitBreakerThreshold = clamp(ceil(0.5 × N), 10, 200)', () => {
  it.each([
    [0, 10],
    [3, 10],
    [20, 10],
    [21, 11],
    [100, 50],
    [399, 200],
    [400, 200],
    [10_000, 200],
  ])('N=%i gives %i', (n, expected) => {
    expect(circuitBreakerThreshold(n)).toBe(expected);
  });
});

describe('nextBatch', () => {
  const candidates = ['i-1', 'i-2', 'i-3'].map((instanceId) => ({ instanceId }) as InstanceState);

  it.each([
    // [batch size, a batch is open, instances picked]
    [2, false, ['i-1', 'i-2']],
    [5, false, ['i-1', 'i-2', 'i-3']],
    [1, false, ['i-1']],
    [2, true, []],
  ])('size %i, batch open: %s → %j', (size, batchOpen, expected) => {
    expect(nextBatch(candidates, size, { batchOpen }).map((i) => i.instanceId)).toEqual(expected);
  });
});
