import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import {
  Streams,
  StreamCategory,
  type DaemonRevisionCreated,
  type DaemonTaskDefinitionDeletionRequested,
} from '@daemonfleet/contracts';
import { parseEcsArn, resolveDaemonArn } from '@daemonfleet/domain';
import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { CLOCK, EVENT_STORE, SERVICE_CONFIG, type Clock, type ServiceConfig } from '@daemonfleet/service-runtime';
import { ActiveDeployments, deploymentIdOf } from './deployments/active-deployments.js';
import { deploymentFor } from './deployments/deployment-opening.js';
import { DeploymentReconciler } from './deployments/deployment-reconciler.js';
import { DAEMONS, DEPLOYMENTS, TASK_DEFINITION_FAMILIES, type Daemons, type Deployments, type TaskDefinitionFamilies } from './orchestrator.aggregates.js';
import { TaskDefinitionUsage } from './task-definitions/task-definition-usage.js';

export const ORCHESTRATOR_SUBSCRIPTION = 'deployment-orchestrator';

/**
 * How the orchestrator learns what happened: one durable subscription on the store (events are the bus), and a
 * resync tick that reconciles every unfinished deployment, which also fires timers and covers anything missed.
 * Every reaction is idempotent: after a crash, events since the last checkpoint are delivered again.
 */
@Injectable()
export class OrchestratorEventsSubscription implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OrchestratorEventsSubscription.name);
  private subscription?: Subscription;
  private ticker?: NodeJS.Timeout;
  /** Events up to here were read when the index was rebuilt; the subscription skips them. */
  private rebuiltUpTo = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DAEMONS) private readonly daemons: Daemons,
    @Inject(DEPLOYMENTS) private readonly deployments: Deployments,
    @Inject(TASK_DEFINITION_FAMILIES) private readonly families: TaskDefinitionFamilies,
    private readonly active: ActiveDeployments,
    private readonly reconciler: DeploymentReconciler,
    private readonly usage: TaskDefinitionUsage,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.rebuiltUpTo = await this.active.rebuild();
    this.subscription = await this.store.subscribe(
      {
        name: ORCHESTRATOR_SUBSCRIPTION,
        filter: { categories: [StreamCategory.daemon, StreamCategory.daemonDeployment, StreamCategory.daemonTaskDefinition] },
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
    await this.reconciler.settled();
  }

  private resync(): void {
    for (const [deploymentId, { correlationId }] of this.active.entries()) this.reconciler.request(deploymentId, { correlationId });
  }

  private async handle(event: RecordedEvent): Promise<void> {
    switch (event.type) {
      case 'DaemonRevisionCreated':
        return this.openDeploymentWhenRevisionCreated(event);
      case 'DaemonTaskDefinitionDeletionRequested':
        return this.finishDeletionWhenUnused(event);
      default:
        if (event.streamId.startsWith(`${StreamCategory.daemonDeployment}-`)) this.reconcileWhenDeploymentChanged(event);
    }
  }

  /** Repairs a crash between the daemon's append and the deployment's: opening the stream twice changes nothing. */
  private async openDeploymentWhenRevisionCreated(event: RecordedEvent): Promise<void> {
    const revision = event.data as DaemonRevisionCreated['data'];
    const daemon = resolveDaemonArn('daemonArn', revision.daemonArn);
    const { state } = await this.daemons.load(Streams.daemon(daemon.scope, daemon.clusterName, daemon.daemonName));
    if (state.status === 'NONE') return;
    const now = this.clock.now();
    await this.deployments.handle(
      Streams.daemonDeployment(revision.deploymentId),
      { type: 'CreateDeployment', data: deploymentFor(revision, state.clusterArn, []) },
      { correlationId: event.metadata.correlationId ?? event.metadata.eventId, causationId: event.metadata.eventId, now },
    );
  }

  private reconcileWhenDeploymentChanged(event: RecordedEvent): void {
    if (event.globalPosition <= this.rebuiltUpTo) return;
    this.active.apply(event);
    this.reconciler.request(deploymentIdOf(event.streamId), { correlationId: event.metadata.correlationId, causationId: event.metadata.eventId });
  }

  /** A deleted revision no daemon uses is DELETED at once (spec 1.5). */
  private async finishDeletionWhenUnused(event: RecordedEvent): Promise<void> {
    const { daemonTaskDefinitionArn, revision } = event.data as DaemonTaskDefinitionDeletionRequested['data'];
    if (await this.usage.isUsed(daemonTaskDefinitionArn)) return;
    const arn = parseEcsArn(daemonTaskDefinitionArn)!;
    const family = arn.path[0].slice(0, arn.path[0].lastIndexOf(':'));
    const now = this.clock.now();
    await this.families.handle(
      Streams.daemonTaskDefinitionFamily(arn.scope, family),
      { type: 'CompleteDaemonTaskDefinitionDeletion', data: { revision, now } },
      { correlationId: event.metadata.correlationId ?? event.metadata.eventId, causationId: event.metadata.eventId, now },
    );
  }
}
