import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { StreamCategory, type DaemonEvent } from '@daemonfleet/contracts';
import type { DaemonPlacement } from '@daemonfleet/domain';
import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { EVENT_STORE } from '@daemonfleet/service-runtime';
import { followCategory } from '../events/follow-category.js';

/**
 * Which daemon tasks a new instance launches (spec 3.9): every live daemon's current revision, on the providers
 * that revision lists: its latest revision, or the one a rollback restored (DaemonRevisionRestored) until a newer
 * one is created. Rebuilt from the daemon events at start, then kept current (followCategory: every replica sees
 * every daemon event). A replacement instance does not depend on this view having caught up: its task of the
 * deploying daemon comes with the drain command.
 */
@Injectable()
export class DaemonPlacements implements OnModuleInit, BeforeApplicationShutdown {
  private readonly byDaemon = new Map<string, DaemonPlacement>();
  /** Every revision of each live daemon, by revision ARN: what a rollback may restore. */
  private readonly revisions = new Map<string, Map<string, DaemonPlacement>>();
  private subscription?: Subscription;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    this.subscription = await followCategory(this.store, StreamCategory.daemon, (event) => this.apply(event));
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
        const placement = { daemonArn, daemonRevisionArn, daemonTaskDefinitionArn, critical, capacityProviderArns };
        this.revisions.set(daemonArn, (this.revisions.get(daemonArn) ?? new Map()).set(daemonRevisionArn, placement));
        this.byDaemon.set(daemonArn, placement);
        return;
      }
      // A rollback: new instances launch the restored revision again (spec 3.9.4: the deployment's target).
      case 'DaemonRevisionRestored': {
        const restored = this.revisions.get(event.data.daemonArn)?.get(event.data.revisionArn);
        if (restored) this.byDaemon.set(event.data.daemonArn, restored);
        return;
      }
      // A daemon being deleted is drained off every instance (decision 7): new instances come up without it.
      case 'DaemonDeletionRequested':
        this.byDaemon.delete(event.data.daemonArn);
        return;
      case 'DaemonRemoved':
        this.byDaemon.delete(event.data.daemonArn);
        this.revisions.delete(event.data.daemonArn);
        return;
      default:
        return;
    }
  }
}
