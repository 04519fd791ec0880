import { EventStoreClosedError } from '../event-store.errors.js';
import type { Subscription } from '../event-store.port.js';

/**
 * The open/closed state every adapter shares: after `close()` every call fails with EventStoreClosedError,
 * and closing first stops the subscriptions the store started (each finishes the event in hand).
 */
export class StoreLifecycle {
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly adapter: string) {}

  get isClosed(): boolean {
    return this.closed;
  }

  assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError(this.adapter);
  }

  /** Remembers a running subscription until it is stopped. */
  track(subscription: Subscription): Subscription {
    this.subscriptions.add(subscription);
    const untrack = () => this.subscriptions.delete(subscription);
    return {
      get lastHandledPosition() {
        return subscription.lastHandledPosition;
      },
      caughtUp: subscription.caughtUp,
      stop: async () => {
        untrack();
        await subscription.stop();
      },
    };
  }

  /** Marks the store closed and stops its subscriptions; false when it was already closed. */
  async close(): Promise<boolean> {
    if (this.closed) return false;
    this.closed = true;
    const running = [...this.subscriptions];
    this.subscriptions.clear();
    await Promise.all(running.map((subscription) => subscription.stop()));
    return true;
  }
}
