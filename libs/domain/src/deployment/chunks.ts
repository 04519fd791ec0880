/**
 * Long instance lists are split so each piece stays far below the store's limits: an event's list at most
 * MAX_INSTANCES_PER_EVENT instances (about 250 KB; the store refuses events over 1 MiB), a fleet command's at
 * most MAX_INSTANCES_PER_FLEET_COMMAND (the contract's bound on `instanceIds`, fleet-commands.dto.ts).
 */
export const MAX_INSTANCES_PER_EVENT = 2_000;
export const MAX_INSTANCES_PER_FLEET_COMMAND = 1_000;

/** The items in order, in pieces of at most `size`; one empty piece for no items. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [[]];
  const pieces: T[][] = [];
  for (let from = 0; from < items.length; from += size) pieces.push(items.slice(from, from + size));
  return pieces;
}
