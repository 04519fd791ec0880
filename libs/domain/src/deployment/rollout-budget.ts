/**
 * The rollout budget (spec section 7, decisions 1 and 3), as pure functions of the deployment's scope.
 *
 * Assumptions:
 * - N is the number of instances in scope when the deployment starts, and stays fixed for the deployment.
 * Invariants:
 * - batchSize >= 1 for every N >= 0 and drainPercent in [0, 100]; batchSize <= max(1, N).
 * - At no moment are more than batchSize instances of one deployment draining.
 */

/** `max(1, ceil(N × drainPercent / 100))` (decision 3). drainPercent 0 drains one instance at a time (decision 2). */
export function batchSize(instancesInScope: number, drainPercent: number): number {
  // Rounded to 9 decimals first, so 7% of 100 is 7, not ceil(7.000000000000001) = 8.
  const exact = Math.round(((instancesInScope * drainPercent) / 100) * 1e9) / 1e9;
  return Math.max(1, Math.ceil(exact));
}

/** `clamp(ceil(0.5 × N), 10, 200)`, fixed when the deployment starts (decision 1). */
export function circuitBreakerThreshold(instancesInScope: number): number {
  return Math.min(200, Math.max(10, Math.ceil(0.5 * instancesInScope)));
}
