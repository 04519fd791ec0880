import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { StreamCategory, type FaultRuleEvent } from '@daemonfleet/contracts';
import { activeFaultRule, faultRuleDecider, type FaultRule, type FaultRuleState } from '@daemonfleet/domain';
import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { EVENT_STORE, SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { followCategory } from '../events/follow-category.js';

/**
 * The fault rules in force, folded with the domain's evolve. Rebuilt from the store at start, then kept current
 * (followCategory): every replica applies every rule, whichever replica took the request. A rule applies to the
 * whole simulated fleet (emulator control), whatever the account and region of its stream.
 */
@Injectable()
export class FaultRuleView implements OnModuleInit, BeforeApplicationShutdown {
  /** By stream, in the order the rules were added: the order the fleet draws for them in. */
  private readonly byStream = new Map<string, FaultRuleState>();
  private readonly waiters = new Set<{ readonly position: number; readonly resolve: () => void }>();
  private handled = 0;
  private subscription?: Subscription;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.subscription = await followCategory(this.store, StreamCategory.faultRule, (event) => this.apply(event));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  active(): FaultRule[] {
    return [...this.byStream.values()].flatMap((state) => {
      const rule = activeFaultRule(state);
      if (!rule) return [];
      const { addedAt: _addedAt, ...applied } = rule;
      return [applied];
    });
  }

  /**
   * Resolves once this view has folded the store up to `position` (a rule this replica just wrote), so the rule is
   * in force here before the request is answered; after REQUEST_TIMEOUT_MS it resolves anyway, the rule then
   * applying as soon as the view sees it.
   */
  async reach(position: number): Promise<void> {
    if (this.handled >= position) return;
    await new Promise<void>((resolve) => {
      const waiter = { position, resolve: () => done() };
      const timer = setTimeout(() => done(), this.config.requestTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      this.waiters.add(waiter);
    });
  }

  private apply(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as FaultRuleEvent;
    const state = faultRuleDecider.evolve(this.byStream.get(recorded.streamId) ?? faultRuleDecider.initialState(), event);
    if (state.status === 'REMOVED') this.byStream.delete(recorded.streamId);
    else this.byStream.set(recorded.streamId, state);
    this.handled = recorded.globalPosition;
    for (const waiter of this.waiters) if (waiter.position <= this.handled) waiter.resolve();
  }
}
