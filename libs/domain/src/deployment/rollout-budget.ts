import type { InstanceState } from '../fleet/fleet.state.js';

/**
 * The rollout budget (spec section 7, decisions 1 and 3), as pure functions of the deployment's scope.
 *
 * Assumptions:
 * - N is the number of instances in scope when the deployment starts, and stays fixed for the deployment; the
 *   scope itself is looked at anew on every reconcile (replacements of a superseded deployment join it).
 * - The fleet drains an instance only on a command of the deployment that requested it, at most once (fenced and
 *   idempotent per instance), and provisions its replacement in the same append.
 * - Instance ids are never reused: an instance that left the fleet never comes back.
 * Invariants:
 * - batchSize >= 1 for every N >= 0 and drainPercent in [0, 100]; batchSize <= max(1, N).
 * - At most one batch is open at a time, and a batch is opened with at most batchSize instances, so at no moment
 *   are more than batchSize instances draining for one deployment. A rollback that takes over an open batch whose
 *   replacements carry the revision it rolls back from drains those replacements too, as part of that batch
 *   (`BatchProgress.redo`), each only once its member is gone, so the bound holds; a replacement not ACTIVE yet is
 *   not drained but left to come up (the fleet retries its failed task with the revision rolled back to). One
 *   exception, bounded: a replacement held back on a provider the revision rolled back to does not cover (no retry
 *   can bring it up, and its member keeps its tasks until one does) is drained beside its member; the two stand for
 *   one instance's capacity, so at no moment are more than batchSize chains of (instance, its replacements)
 *   draining for one deployment.
 * - The same budget holds for the rollback (spec 3.7): its batches are opened with the same batchSize.
 * - A batch is closed only once every member has left the fleet, so no instance is requested twice.
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

/**
 * The next batch: up to `size` of the candidates, oldest first, and only while no batch is open (the next
 * batch starts as soon as the previous one is fully replaced, decision 3). [] when nothing may be drained now.
 */
export function nextBatch(candidates: readonly InstanceState[], size: number, { batchOpen }: { batchOpen: boolean }): InstanceState[] {
  if (batchOpen) return [];
  return candidates.slice(0, size);
}
