/** Read options normalised the same way by every adapter. */

export const DEFAULT_READ_ALL_MAX_COUNT = 1000;

/** `maxCount` with its default; zero or less means "nothing", as a limit should. */
export function maxCountOf(maxCount: number | undefined, fallback: number): number {
  if (maxCount === undefined || Number.isNaN(maxCount)) return fallback;
  return Math.max(0, Math.floor(maxCount));
}

/** An inclusive lower bound (`fromVersion`, `fromPosition`) as the first whole number it admits, at least 1. */
export function lowerBoundOf(from: number | undefined): number {
  return from !== undefined && Number.isFinite(from) ? Math.max(1, Math.ceil(from)) : 1;
}
