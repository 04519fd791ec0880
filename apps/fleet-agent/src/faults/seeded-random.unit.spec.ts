import { describe, expect, it } from 'vitest';
import { mulberry32 } from './seeded-random.js';

describe('mulberry32', () => {
  it('gives the reference sequence for a seed (the published algorithm, not a look-alike)', () => {
    const draw = mulberry32(1);
    // The first outputs of the reference C implementation seeded with 1, as 32-bit integers.
    expect([draw(), draw(), draw()].map((x) => Math.round(x * 4_294_967_296))).toEqual([2_693_262_067, 11_749_833, 2_265_367_787]);
  });

  it('repeats its sequence for the same seed, and draws another for another seed', () => {
    const take = (seed: number) => {
      const draw = mulberry32(seed);
      return Array.from({ length: 20 }, () => draw());
    };
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
  });

  it('draws in [0, 1), spread evenly enough for rates', () => {
    const draw = mulberry32(7);
    const draws = Array.from({ length: 20_000 }, () => draw());
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    const belowHalf = draws.filter((x) => x < 0.5).length / draws.length;
    expect(belowHalf).toBeGreaterThan(0.48);
    expect(belowHalf).toBeLessThan(0.52);
  });
});
