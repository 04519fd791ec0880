import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ErrorCode } from '@daemonfleet/contracts';
import type { EventStore, Subscription } from '@daemonfleet/event-store';
import { EVENT_STORE, SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { ReadModels } from './read-models.js';

export class ReadModelBehindError extends Error {
  readonly code = ErrorCode.ServiceUnavailable;
}

/**
 * Feeds the read models from the store (an ephemeral subscription from the beginning: each gateway replica
 * holds its own copy), and gives "read your writes": before answering, a query waits, within a bound, until the
 * read models have passed the store's head as it was when the query arrived. Any write acknowledged before the
 * query was sent is then visible, whichever replica took the write.
 */
@Injectable()
export class ReadModelFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReadModelFeed.name);
  private subscription?: Subscription;
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private handled = 0;
  private caughtUp = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly readModels: ReadModels,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.store.subscribe(
      { onHandlerError: (error, event) => this.logger.error(`read model failed on ${event.type} at ${event.globalPosition}: ${String(error)}`) },
      (event) => {
        this.readModels.apply(event);
        this.handled = event.globalPosition;
        for (const waiter of this.waiters) if (waiter.position <= this.handled) waiter.resolve();
      },
    );
    void this.subscription.caughtUp.then(() => {
      this.caughtUp = true;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  /** Whether the read models have caught up with the store as it was when the gateway started. */
  checkCaughtUp(): void {
    if (!this.caughtUp) throw new Error(`read models are still catching up (at position ${this.handled})`);
  }

  /** Resolves once the read models reflect every write acknowledged before this call. */
  async fresh(): Promise<void> {
    const head = await this.store.headPosition();
    if (this.handled >= head) return;
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        position: head,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new ReadModelBehindError(`read models are at position ${this.handled}, behind ${head}, after ${this.config.readModelWaitMs} ms`));
      }, this.config.readModelWaitMs);
      this.waiters.add(waiter);
    });
  }
}
