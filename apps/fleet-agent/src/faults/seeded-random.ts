/**
 * mulberry32 (Tommy Ettinger's 32-bit generator, public domain): a small, fast, well-known generator whose whole
 * state is one 32-bit number, so a seed gives one sequence of draws, uniform in [0, 1).
 *
 * Repeatability: the fleet draws in the order its decisions are made. One fleet agent stepping one provider makes
 * the same decisions, hence the same draws and outcomes, for the same seed and the same requests. With several
 * replicas, several providers stepped at once, or a decision retried after a concurrent write, the order in which
 * decisions take their draws depends on timing, and the exact outcomes may differ between runs (the rates hold).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
