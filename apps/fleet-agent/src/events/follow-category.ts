import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { readCategory } from './read-category.js';

/**
 * Rebuilds a view from every event of the category, then keeps it current with a subscription from there on.
 * Not durable on purpose: a durable subscription is shared by the replicas of the service (each event reaches one
 * of them), while every replica needs every event of the category for its own view.
 */
export async function followCategory(store: EventStore, category: string, apply: (event: RecordedEvent) => void): Promise<Subscription> {
  const rebuiltUpTo = await readCategory(store, category, apply);
  return store.subscribe({ fromPosition: rebuiltUpTo + 1, filter: { categories: [category] } }, apply);
}
