/** The wire's timestamps are epoch seconds as JSON numbers, fractions allowed (spec 5.5). */
export const epochSeconds = (epochMillis: number): number => epochMillis / 1000;

/** Epoch seconds, or the key left out when there is no time. */
export const optionalEpochSeconds = (epochMillis: number | undefined): number | undefined =>
  epochMillis === undefined ? undefined : epochSeconds(epochMillis);
