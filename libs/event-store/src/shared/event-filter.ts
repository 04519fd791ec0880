import type { EventFilter } from '../event-store.port.js';
import { parseStreamId } from '../stream-id.js';

/**
 * A category filter normalised once: `undefined` means every event passes. An empty category list is treated
 * as "no filter" (as if `categories` were absent), never as "nothing passes".
 */
export type CategorySet = ReadonlySet<string> | undefined;

export function categorySetOf(filter: EventFilter | undefined): CategorySet {
  const categories = filter?.categories;
  if (!categories || categories.length === 0) return undefined;
  // Validate each category with the stream id grammar, so a typo fails loudly instead of matching nothing.
  for (const category of categories) parseStreamId(`${category}-x`);
  return new Set(categories);
}

export function passesFilter(categories: CategorySet, streamId: string): boolean {
  return categories === undefined || categories.has(streamId.slice(0, streamId.indexOf('-')));
}

/** The category when the filter names exactly one (adapters can then filter on the server). */
export function singleCategory(categories: CategorySet): string | undefined {
  return categories?.size === 1 ? [...categories][0] : undefined;
}
