import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { StreamCategory, type DaemonTaskDefinitionRegistered } from '@daemonfleet/contracts';
import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { EVENT_STORE } from '@daemonfleet/service-runtime';
import { followCategory } from '../events/follow-category.js';

/**
 * The container images of every daemon task definition, by ARN: what fault rules are matched against (a rule on
 * an image hits the daemon tasks that run it, and the instances launched with them). Registrations are immutable
 * and a deleted revision may still run, so entries are never removed. Rebuilt from the store at start, then kept
 * current (followCategory: every replica sees every registration).
 */
@Injectable()
export class DaemonImages implements OnModuleInit, BeforeApplicationShutdown {
  private readonly byTaskDefinition = new Map<string, readonly string[]>();
  private subscription?: Subscription;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    this.subscription = await followCategory(this.store, StreamCategory.daemonTaskDefinition, (event) => this.apply(event));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  /** The live map: read it before the next `await`. */
  all(): ReadonlyMap<string, readonly string[]> {
    return this.byTaskDefinition;
  }

  private apply(event: RecordedEvent): void {
    if (event.type !== 'DaemonTaskDefinitionRegistered') return;
    const { daemonTaskDefinitionArn, definition } = event.data as DaemonTaskDefinitionRegistered['data'];
    this.byTaskDefinition.set(daemonTaskDefinitionArn, definition.containerDefinitions.map((container) => container.image));
  }
}
