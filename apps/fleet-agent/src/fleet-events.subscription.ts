import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { StreamCategory, type AppTaskPlaced, type AppTaskStopped } from '@daemonfleet/contracts';
import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { EVENT_STORE, SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { serviceStreamOf } from './fleet-streams.js';
import { LiveServices } from './services/live-services.js';
import { ServiceReconciler } from './services/service-reconciler.js';
import { FleetTicker } from './simulation/fleet-ticker.js';

export const FLEET_AGENT_SUBSCRIPTION = 'fleet-agent';

/**
 * How the fleet agent reacts to what happened: one durable subscription on the service and capacity provider events
 * (shared by the replicas: each event reaches one of them), and a resync tick that reconciles every live service,
 * which covers anything missed. The handler only requests work, which coalesces per service, so a rollout's
 * thousands of fleet events cost a few reconciles. Every reaction is idempotent: after a crash, events since the
 * last checkpoint are delivered again.
 */
@Injectable()
export class FleetEventsSubscription implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(FleetEventsSubscription.name);
  private subscription?: Subscription;
  private ticker?: NodeJS.Timeout;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly liveServices: LiveServices,
    private readonly reconciler: ServiceReconciler,
    private readonly fleetTicker: FleetTicker,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.store.subscribe(
      {
        name: FLEET_AGENT_SUBSCRIPTION,
        filter: { categories: [StreamCategory.service, StreamCategory.capacityProvider] },
        onHandlerError: (error, event, attempt) =>
          this.logger.warn(`handling ${event.type} at ${event.globalPosition} failed (attempt ${attempt}): ${String(error)}`),
      },
      (event) => this.handle(event),
    );
    this.resync();
    this.ticker = setInterval(() => this.resync(), this.config.resyncIntervalMs);
    this.ticker.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.ticker);
    await this.subscription?.stop();
  }

  private resync(): void {
    for (const streamId of this.liveServices.streams()) this.reconciler.request(streamId);
  }

  private handle(event: RecordedEvent): void {
    const trigger = { correlationId: event.metadata.correlationId, causationId: event.metadata.eventId };
    if (event.streamId.startsWith(`${StreamCategory.service}-`)) return this.reconciler.request(event.streamId, trigger);
    this.fleetTicker.know(event.streamId);
    // A service's count changes only when one of its tasks is placed or stopped: reconcile it then. A fact never
    // throws here (it would hold the subscription up); an ARN that names no service, which the domain never
    // writes, is left to the resync.
    if (event.type === 'AppTaskPlaced' || event.type === 'AppTaskStopped') {
      const serviceStream = serviceStreamOf((event.data as (AppTaskPlaced | AppTaskStopped)['data']).serviceArn);
      if (serviceStream) this.reconciler.request(serviceStream, trigger);
    }
  }
}
