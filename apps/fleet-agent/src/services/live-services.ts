import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { StreamCategory, type ServiceEvent } from '@daemonfleet/contracts';
import { evolveService, initialServiceState, type ServiceState } from '@daemonfleet/domain';
import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { EVENT_STORE } from '@daemonfleet/service-runtime';
import { readCategory } from '../events/read-category.js';

/**
 * The streams of the services that are ACTIVE or DRAINING: what the resync tick reconciles. Rebuilt from the service
 * events at start, then kept current by a subscription every replica has (not durable: each needs every event).
 */
@Injectable()
export class LiveServices implements OnModuleInit, BeforeApplicationShutdown {
  private readonly states = new Map<string, ServiceState>();
  private subscription?: Subscription;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    const rebuiltUpTo = await readCategory(this.store, StreamCategory.service, (event) => this.apply(event));
    this.subscription = await this.store.subscribe({ fromPosition: rebuiltUpTo + 1, filter: { categories: [StreamCategory.service] } }, (event) =>
      this.apply(event),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  streams(): string[] {
    return [...this.states.keys()];
  }

  private apply(event: RecordedEvent): void {
    const state = evolveService(this.states.get(event.streamId) ?? initialServiceState(), { type: event.type, data: event.data } as ServiceEvent);
    // A deleted service needs nothing more; the map holds only the live ones.
    if (state.status === 'ACTIVE' || state.status === 'DRAINING') this.states.set(event.streamId, state);
    else this.states.delete(event.streamId);
  }
}
