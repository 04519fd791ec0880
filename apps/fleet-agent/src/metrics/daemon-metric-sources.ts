import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { StreamCategory, type CapacityProviderEvent, type DaemonTaskDefinitionEvent } from '@daemonfleet/contracts';
import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '@daemonfleet/service-runtime';
import { BASELINE_CPU_PERCENT, simulatedCpuPercent } from './daemon-metrics.js';

/**
 * What the daemon metrics are made of besides the providers' fleets, from the store: which providers exist, the
 * simulated CPU of each daemon task definition, and the daemon task starts that failed since this agent started
 * (those before are history, reported by the agent that saw them). Fed by a subscription from the start of the store,
 * on every replica (not durable: each needs every event), read-only: it changes nothing in the fleet.
 */
@Injectable()
export class DaemonMetricSources implements OnModuleInit, BeforeApplicationShutdown {
  private readonly providerStreams = new Set<string>();
  private readonly cpuByTaskDefinition = new Map<string, number>();
  /** failedAt of each failed start not yet reported, by daemon ARN. */
  private readonly failures = new Map<string, number[]>();
  private since = 0;
  /** The position of the last event applied. */
  private position = 0;
  private subscription?: Subscription;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.since = this.clock.now();
    this.subscription = await this.store.subscribe(
      { fromPosition: 1, filter: { categories: [StreamCategory.capacityProvider, StreamCategory.daemonTaskDefinition] } },
      (event) => this.apply(event),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  /** Resolves once every event stored before the agent started has been read. */
  get ready(): Promise<void> {
    return this.subscription?.caughtUp ?? Promise.resolve();
  }

  providers(): string[] {
    return [...this.providerStreams];
  }

  cpuOf(daemonTaskDefinitionArn: string): number {
    return this.cpuByTaskDefinition.get(daemonTaskDefinitionArn) ?? BASELINE_CPU_PERCENT;
  }

  /**
   * Takes the failed starts that happened before `before`, to report them: their times, by daemon ARN. One recorded late,
   * after its period was reported, goes with the next period. `restore` puts back what a failed report took.
   */
  takeFailures(before: number): Map<string, number[]> {
    const taken = new Map<string, number[]>();
    for (const [daemonArn, times] of this.failures) {
      const due = times.filter((failedAt) => failedAt < before);
      if (due.length === 0) continue;
      taken.set(daemonArn, due);
      const left = times.filter((failedAt) => failedAt >= before);
      if (left.length > 0) this.failures.set(daemonArn, left);
      else this.failures.delete(daemonArn);
    }
    return taken;
  }

  restore(taken: ReadonlyMap<string, number[]>): void {
    for (const [daemonArn, times] of taken) this.failures.set(daemonArn, [...times, ...(this.failures.get(daemonArn) ?? [])]);
  }

  private apply(recorded: RecordedEvent): void {
    // Delivery is at least once: an event seen already is skipped, or a failed start would be reported twice.
    if (recorded.globalPosition <= this.position) return;
    this.position = recorded.globalPosition;
    const event = { type: recorded.type, data: recorded.data } as CapacityProviderEvent | DaemonTaskDefinitionEvent;
    switch (event.type) {
      case 'CapacityProviderCreated':
        this.providerStreams.add(recorded.streamId);
        return;
      case 'DaemonTaskFailedToStart': {
        const { daemon, failedAt } = event.data;
        if (failedAt >= this.since) this.failures.set(daemon.daemonArn, [...(this.failures.get(daemon.daemonArn) ?? []), failedAt]);
        return;
      }
      case 'DaemonTaskDefinitionRegistered': {
        const percent = simulatedCpuPercent(event.data.definition);
        if (percent !== undefined) this.cpuByTaskDefinition.set(event.data.daemonTaskDefinitionArn, percent);
        return;
      }
      default:
        return;
    }
  }
}
