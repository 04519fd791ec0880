import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { StreamCategory, type DaemonEvent } from '@daemonfleet/contracts';
import type { DaemonPlacement } from '@daemonfleet/domain';
import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { EVENT_STORE } from '@daemonfleet/service-runtime';
import { readCategory } from '../events/read-category.js';

/**
 * Which daemon tasks a new instance launches (spec 3.9): every live daemon's latest revision, on the providers that
 * revision lists. Rebuilt from the daemon events at start, then kept current by a subscription from there.
 *
 * The subscription is not durable on purpose: a durable one is shared by the replicas of the service (each event
 * reaches one of them), while every replica needs every daemon event for its view. A replacement instance does not
 * depend on this view having caught up: its task of the deploying daemon comes with the drain command.
 */
@Injectable()
export class DaemonPlacements implements OnModuleInit, BeforeApplicationShutdown {
  private readonly byDaemon = new Map<string, DaemonPlacement>();
  private subscription?: Subscription;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    const rebuiltUpTo = await readCategory(this.store, StreamCategory.daemon, (event) => this.apply(event));
    this.subscription = await this.store.subscribe({ fromPosition: rebuiltUpTo + 1, filter: { categories: [StreamCategory.daemon] } }, (event) =>
      this.apply(event),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  /** In the order the daemons were created: new instances launch their tasks in that order. */
  all(): DaemonPlacement[] {
    return [...this.byDaemon.values()];
  }

  private apply(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as DaemonEvent;
    switch (event.type) {
      case 'DaemonRevisionCreated': {
        const { daemonArn, revision } = event.data;
        const { daemonRevisionArn, daemonTaskDefinitionArn, critical, capacityProviderArns } = revision;
        this.byDaemon.set(daemonArn, { daemonArn, daemonRevisionArn, daemonTaskDefinitionArn, critical, capacityProviderArns });
        return;
      }
      // A daemon being deleted is drained off every instance (decision 7): new instances come up without it.
      case 'DaemonDeletionRequested':
      case 'DaemonRemoved':
        this.byDaemon.delete(event.data.daemonArn);
        return;
      default:
        return;
    }
  }
}
