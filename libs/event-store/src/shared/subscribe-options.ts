import type { SubscribeOptions } from '../event-store.port.js';
import { categorySetOf, type CategorySet } from './event-filter.js';
import { lowerBoundOf } from './read-options.js';

export interface NormalisedSubscribeOptions {
  /** Set for a durable subscription. */
  readonly name: string | undefined;
  /** First position a subscription with no checkpoint delivers (at least 1). */
  readonly startPosition: number;
  readonly categories: CategorySet;
}

/** Validates and normalises subscribe options once, the same way for every adapter. */
export function normaliseSubscribeOptions(options: SubscribeOptions): NormalisedSubscribeOptions {
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name.trim().length === 0))
    throw new TypeError('a durable subscription needs a non-empty name');
  return {
    name: options.name,
    startPosition: lowerBoundOf(options.fromPosition),
    categories: categorySetOf(options.filter),
  };
}
