import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import {
  serviceTaskCount,
  serviceTaskPlan,
  type CapacityProviderCommand,
  type CapacityProviderState,
  type ServiceState,
} from '@daemonfleet/domain';
import { MAX_EVENTS_PER_APPEND } from '@daemonfleet/event-store';
import { CLOCK, IDS, METRICS, type Clock, type CommandContext, type IdGenerator, type ServiceMetrics } from '@daemonfleet/service-runtime';
import { CapacityProviders } from '../capacity-providers/capacity-providers.js';
import { SERVICES, type Services } from '../fleet.aggregates.js';
import { providerStreamOf } from '../fleet-streams.js';
import { DaemonPlacements } from '../simulation/daemon-placements.js';
import { FleetSimulation } from '../simulation/fleet-simulation.js';
import { FleetTicker, type Trigger } from '../simulation/fleet-ticker.js';

type LiveService = Exclude<ServiceState, { status: 'NONE' }>;

interface Run {
  /** What asked for the next reconcile; null once it started, until another request comes. */
  next: Trigger | null;
  done: Promise<void>;
}

/**
 * Converges each ACTIVE or DRAINING service to its desired count (0 for a draining one), provider by provider of its
 * strategy (serviceTaskPlan), and finishes a deletion once no task of the service is left. Level-triggered: runs for
 * one service never overlap here, requests during a run coalesce into one more, and the commands it sends are levels
 * (a target count), so a repeated run, or one on another replica at the same time, places or stops nothing twice.
 */
@Injectable()
export class ServiceReconciler implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ServiceReconciler.name);
  /** The run of each service now under way or about to start, and the trigger of the reconcile it owes next. */
  private readonly runs = new Map<string, Run>();
  private stopped = false;

  constructor(
    @Inject(SERVICES) private readonly services: Services,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    private readonly providers: CapacityProviders,
    private readonly placements: DaemonPlacements,
    private readonly simulation: FleetSimulation,
    private readonly ticker: FleetTicker,
    @Inject(METRICS) private readonly metrics: ServiceMetrics,
  ) {}

  /**
   * A run starts on the next turn of the event loop, not at once: the events of one delivery (an append of up to a
   * thousand) arrive in one turn, and with a cached state a reconcile is over within it, so starting at once would
   * reconcile once per event. Waiting a turn folds them into one reconcile.
   */
  request(serviceStreamId: string, trigger: Trigger = {}): void {
    if (this.stopped) return;
    const pending = this.runs.get(serviceStreamId);
    if (pending) {
      pending.next = trigger;
      return;
    }
    const run: Run = { next: trigger, done: Promise.resolve() };
    this.runs.set(serviceStreamId, run);
    run.done = new Promise<void>((turn) => setImmediate(turn))
      .then(() => this.runUntilSettled(serviceStreamId, run))
      .finally(() => this.runs.delete(serviceStreamId));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }

  private async runUntilSettled(serviceStreamId: string, run: Run): Promise<void> {
    for (let trigger = run.next; trigger && !this.stopped; trigger = run.next) {
      run.next = null;
      try {
        const current = trigger;
        await this.metrics.timeReconcile('service', () => this.reconcile(serviceStreamId, current));
      } catch (error) {
        // The resync tick tries again: a failure here must not stop the service's convergence for good.
        this.logger.warn(`reconciling service ${serviceStreamId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private async reconcile(serviceStreamId: string, { correlationId = this.ids.uuid(), causationId }: Trigger): Promise<void> {
    const { state: service } = await this.services.load(serviceStreamId);
    if (service.status !== 'ACTIVE' && service.status !== 'DRAINING') return;
    const context = (): CommandContext => ({ correlationId, causationId, now: this.clock.now() });
    const plan = serviceTaskPlan(service, await this.loadProviders(service));
    for (const { capacityProviderArn, target, place, stop } of plan) {
      if (place === 0 && stop === 0) continue;
      const streamId = providerStreamOf(capacityProviderArn, 'capacityProviderStrategy');
      await this.providers.handleUntilDone(streamId, () => this.scale(service, capacityProviderArn, target, place > 0), context());
      this.ticker.request(streamId, { correlationId, causationId });
    }
    if (service.status === 'DRAINING') await this.completeDeletionWhenEmpty(serviceStreamId, service, context());
  }

  /** A placement provisions instances with the daemons placed now; a stop needs neither. */
  private scale(service: LiveService, capacityProvider: string, targetCount: number, placing: boolean): CapacityProviderCommand {
    const { serviceArn, taskDefinitionArn } = service;
    const now = this.clock.now();
    const common = { capacityProvider, serviceArn, targetCount, now, maxEvents: MAX_EVENTS_PER_APPEND };
    if (!placing) return { type: 'StopServiceTasks', data: { ...common, reason: service.status === 'DRAINING' ? 'SERVICE_DELETED' : 'SERVICE_SCALED_IN' } };
    const { timings, ids, tasksPerInstance } = this.simulation;
    return { type: 'PlaceServiceTasks', data: { ...common, taskDefinitionArn, tasksPerInstance, placements: this.placements.all(), timings, ids } };
  }

  /** ServiceDeleted once not a task of the service is left on any provider of its strategy, moving ones included. */
  private async completeDeletionWhenEmpty(serviceStreamId: string, service: LiveService, context: CommandContext): Promise<void> {
    const providers = await this.loadProviders(service);
    for (const provider of providers.values()) if (provider.status === 'ACTIVE' && serviceTaskCount(provider, service.serviceArn).total > 0) return;
    await this.services.handle(serviceStreamId, { type: 'CompleteServiceDeletion', data: { now: context.now } }, context);
  }

  /** The states are live objects (CapacityProviders): they are read at once, before anything else is awaited. */
  private async loadProviders(service: LiveService): Promise<Map<string, CapacityProviderState>> {
    const providers = new Map<string, CapacityProviderState>();
    for (const { capacityProviderArn } of service.capacityProviderStrategy) {
      const { state } = await this.providers.load(providerStreamOf(capacityProviderArn, 'capacityProviderStrategy'));
      providers.set(capacityProviderArn, state);
    }
    return providers;
  }
}
