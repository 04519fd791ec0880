import { Inject, Injectable } from '@nestjs/common';
import type { CapacityProviderEvent } from '@daemonfleet/contracts';
import { capacityProviderDecider, type CapacityProviderCommand, type CapacityProviderState } from '@daemonfleet/domain';
import type { EventStore } from '@daemonfleet/event-store';
import {
  EVENT_STORE,
  EventSourcedAggregates,
  IDS,
  type CommandContext,
  type HandledCommand,
  type IdGenerator,
  type LoadedAggregate,
} from '@daemonfleet/service-runtime';

type Handled = HandledCommand<CapacityProviderState, CapacityProviderEvent>;

/**
 * The capacity providers and their fleets. A provider's folded state changes in place (FleetState), so two loads
 * of one stream at once would fold the same events twice into it: every load and command of a provider runs here,
 * one at a time per provider. Replicas in other processes are fenced by the stream version as usual.
 *
 * A state handed out is the live cached object: read it before the next `await`, after which it may have moved on.
 */
@Injectable()
export class CapacityProviders {
  private readonly aggregates: EventSourcedAggregates<CapacityProviderState, CapacityProviderCommand, CapacityProviderEvent>;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(IDS) ids: IdGenerator) {
    this.aggregates = new EventSourcedAggregates(store, capacityProviderDecider, ids.uuid);
  }

  load(streamId: string): Promise<LoadedAggregate<CapacityProviderState>> {
    return this.exclusive(streamId, () => this.aggregates.load(streamId));
  }

  handle(streamId: string, command: CapacityProviderCommand, context: CommandContext): Promise<Handled> {
    return this.exclusive(streamId, () => this.aggregates.handle(streamId, command, context));
  }

  /**
   * Handles a command whose decisions are bounded (maxEvents, at most one append each) again and again until it
   * decides nothing: every prefix of such a command's events is valid, so each round is stored on its own.
   */
  async handleUntilDone(streamId: string, command: () => CapacityProviderCommand, context: CommandContext): Promise<Handled> {
    for (;;) {
      const handled = await this.handle(streamId, command(), context);
      if (handled.newEvents.length === 0) return handled;
    }
  }

  /** Runs `work` after every earlier piece of work on the stream has finished, whatever its outcome. */
  private exclusive<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(streamId) ?? Promise.resolve()).then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(streamId, tail);
    void tail.then(() => {
      if (this.queues.get(streamId) === tail) this.queues.delete(streamId);
    });
    return run;
  }
}
