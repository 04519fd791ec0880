import type { EventStore, RecordedEvent } from '@daemonfleet/event-store';

/**
 * Hands every event of the category to `apply`, in order, from the start of the store; answers the position of the
 * last one (0 when there is none), where a subscription that keeps the view current goes on from.
 */
export async function readCategory(store: EventStore, category: string, apply: (event: RecordedEvent) => void): Promise<number> {
  let last = 0;
  for (;;) {
    const batch = await store.readAll({ fromPosition: last + 1, maxCount: 1000, filter: { categories: [category] } });
    if (batch.length === 0) return last;
    for (const event of batch) apply(event);
    last = batch.at(-1)!.globalPosition;
  }
}
