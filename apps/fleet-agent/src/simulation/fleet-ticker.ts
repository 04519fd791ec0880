import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { StreamCategory } from '@daemonfleet/contracts';
import { nextDueTime, type CapacityProviderCommand } from '@daemonfleet/domain';
import { MAX_EVENTS_PER_APPEND, type EventStore } from '@daemonfleet/event-store';
import { CLOCK, EVENT_STORE, IDS, METRICS, SERVICE_CONFIG, type Clock, type IdGenerator, type ServiceConfig, type ServiceMetrics } from '@daemonfleet/service-runtime';
import { CapacityProviders } from '../capacity-providers/capacity-providers.js';
import { readCategory } from '../events/read-category.js';
import { FaultInjection } from '../faults/fault-injection.js';
import { DaemonPlacements } from './daemon-placements.js';
import { FleetSimulation } from './fleet-simulation.js';

export interface Trigger {
  readonly correlationId?: string;
  readonly causationId?: string;
}

/**
 * Runs the simulation's step (AdvanceFleet) on a provider after every command that changed it, and when the
 * earliest due time among the providers comes (registrations, task starts, retries of failed ones: due times are in
 * the state, so a restart loses none), with the fault rules in force (FaultInjection). One timer, re-armed after every step, at that due time or at the next resync, whichever is first;
 * the resync (RESYNC_INTERVAL_MS) steps every provider known here, which covers anything missed (another replica's
 * writes, a step that failed). A step looks at unsettled instances only (the provider's index), so it stays cheap
 * with 10,000 instances. Steps of one provider never overlap here; requests during a step coalesce into one more.
 */
@Injectable()
export class FleetTicker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(FleetTicker.name);
  private readonly known = new Set<string>();
  /** The earliest due time of each provider, as of its last step. */
  private readonly dueAt = new Map<string, number>();
  private readonly runs = new Map<string, { again: Trigger | null; done: Promise<void> }>();
  private timer?: NodeJS.Timeout;
  private nextResyncAt = 0;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    private readonly providers: CapacityProviders,
    private readonly simulation: FleetSimulation,
    private readonly faults: FaultInjection,
    private readonly placements: DaemonPlacements,
    @Inject(METRICS) private readonly metrics: ServiceMetrics,
  ) {}

  /** Finds every provider (their first event names them), then steps them all once: timers due while down fire now. */
  async onApplicationBootstrap(): Promise<void> {
    await readCategory(this.store, StreamCategory.capacityProvider, (event) => {
      if (event.type === 'CapacityProviderCreated') this.known.add(event.streamId);
    });
    this.resync();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }

  /** A provider changed, or may have: step it soon. */
  request(streamId: string, trigger: Trigger = {}): void {
    if (this.stopped) return;
    this.known.add(streamId);
    const running = this.runs.get(streamId);
    if (running) {
      running.again = trigger;
      return;
    }
    const run = { again: null as Trigger | null, done: Promise.resolve() };
    this.runs.set(streamId, run);
    run.done = this.stepUntilSettled(streamId, trigger, run).finally(() => {
      this.runs.delete(streamId);
      this.arm();
    });
  }

  /** Remembers a provider seen in an event, so the resync covers it, without stepping it now. */
  know(streamId: string): void {
    this.known.add(streamId);
  }

  private async stepUntilSettled(streamId: string, first: Trigger, run: { again: Trigger | null }): Promise<void> {
    for (let trigger: Trigger | null = first; trigger && !this.stopped; trigger = run.again) {
      run.again = null;
      try {
        const current = trigger;
        await this.metrics.timeReconcile('fleet', () => this.step(streamId, current));
      } catch (error) {
        // The resync steps it again; until then its due time is forgotten, so a failing store is not hammered.
        this.dueAt.delete(streamId);
        this.logger.warn(`advancing the fleet of ${streamId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private async step(streamId: string, { correlationId = this.ids.uuid(), causationId }: Trigger): Promise<void> {
    const now = this.clock.now();
    const { timings, ids } = this.simulation;
    const command = (): CapacityProviderCommand => ({
      type: 'AdvanceFleet',
      data: { now, timings, ids, maxEvents: MAX_EVENTS_PER_APPEND, faults: this.faults.current(), placements: this.placements.all() },
    });
    const { state } = await this.providers.handleUntilDone(streamId, command, { correlationId, causationId, now });
    const due = nextDueTime(state, this.simulation.timings.drainMs);
    if (due === null) this.dueAt.delete(streamId);
    else this.dueAt.set(streamId, due);
  }

  /** A provider being stepped re-arms the timer when its step ends: its past due time must not spin the timer now. */
  private arm(): void {
    if (this.stopped) return;
    let next = this.nextResyncAt;
    for (const [streamId, due] of this.dueAt) if (!this.runs.has(streamId)) next = Math.min(next, due);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), Math.max(0, next - this.clock.now()));
    this.timer.unref();
  }

  private fire(): void {
    const now = this.clock.now();
    if (now >= this.nextResyncAt) return this.resync();
    for (const [streamId, due] of this.dueAt) if (due <= now && !this.runs.has(streamId)) this.request(streamId);
    this.arm();
  }

  private resync(): void {
    this.nextResyncAt = this.clock.now() + this.config.resyncIntervalMs;
    for (const streamId of this.known) this.request(streamId);
    this.arm();
  }
}
