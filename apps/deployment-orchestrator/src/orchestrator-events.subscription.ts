import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { StreamCategory } from '@daemonfleet/contracts';
import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { EVENT_STORE, SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { DaemonLifecycleReactions } from './daemons/daemon-lifecycle.reactions.js';
import { deploymentIdOf } from './deployments/active-deployments.js';
import { DeploymentReconciler } from './deployments/deployment-reconciler.js';
import type { FleetChange } from './fleet/fleet-projection.js';
import { ORCHESTRATOR_CATEGORIES, OrchestratorViews } from './orchestrator-views.js';
import { TaskDefinitionDeletionReactions } from './task-definitions/task-definition-deletion.reactions.js';

export const ORCHESTRATOR_SUBSCRIPTION = 'deployment-orchestrator';

/**
 * How the orchestrator learns what happened (events are the bus), over the providers' fleets, the alarms and its
 * own daemons, deployments and task definitions:
 * - the views (fleet projection, alarm projection, unfinished deployments, previous revisions, task definition
 *   usage) follow a subscription of this process from where their rebuild ended: every replica needs every event,
 *   and a restarted process must not wait for the shared subscription's redelivery. Each fresh event triggers the
 *   reconciles it concerns: a fleet change those of the deployments it may move, an alarm change those of the
 *   deployments watching the alarm.
 * - the reactions (open a deployment, remove a daemon, restore a rolled-back revision, finish a task definition's
 *   deletion) run once per event across replicas, on the durable subscription, each once the views have reached
 *   its event. Idempotent: after a crash, events since the last checkpoint are delivered again.
 * - a resync tick reconciles every unfinished deployment, which fires due timers (the bake's end) and resends
 *   lost fleet commands.
 * A deployment is first reconciled when its DeploymentCreated reaches the views: they apply events in global
 * order, so the fleet projection then holds every fleet event appended before the deployment was created.
 */
@Injectable()
export class OrchestratorEventsSubscription implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OrchestratorEventsSubscription.name);
  private subscriptions: Subscription[] = [];
  private ticker?: NodeJS.Timeout;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly views: OrchestratorViews,
    private readonly reconciler: DeploymentReconciler,
    private readonly daemonReactions: DaemonLifecycleReactions,
    private readonly taskDefinitionReactions: TaskDefinitionDeletionReactions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const rebuiltUpTo = await this.views.rebuild();
    const onHandlerError = (error: unknown, event: RecordedEvent, attempt: number) =>
      this.logger.warn(`handling ${event.type} at ${event.globalPosition} failed (attempt ${attempt}): ${String(error)}`);
    this.subscriptions.push(
      await this.store.subscribe({ fromPosition: rebuiltUpTo + 1, filter: { categories: ORCHESTRATOR_CATEGORIES }, onHandlerError }, (event) => this.follow(event)),
      await this.store.subscribe({ name: ORCHESTRATOR_SUBSCRIPTION, filter: { categories: ORCHESTRATOR_CATEGORIES }, onHandlerError }, (event) => this.react(event)),
    );
    this.resync();
    this.ticker = setInterval(() => this.resync(), this.config.resyncIntervalMs);
    this.ticker.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.ticker);
    // The reactions first: one in hand may be waiting for the views to reach its event.
    for (const subscription of this.subscriptions.reverse()) await subscription.stop();
    await this.reconciler.settled();
  }

  private resync(): void {
    for (const [deploymentId, { correlationId }] of this.views.deployments.entries()) this.reconciler.request(deploymentId, { correlationId });
  }

  private follow(event: RecordedEvent): void {
    const { fresh, fleetChange, alarmStreamId } = this.views.apply(event);
    if (!fresh) return;
    if (fleetChange) this.reconcileWhenFleetChanged(fleetChange);
    else if (alarmStreamId) this.reconcileWatching(alarmStreamId);
    else if (event.streamId.startsWith(`${StreamCategory.daemonDeployment}-`))
      this.reconciler.request(deploymentIdOf(event.streamId), { correlationId: event.metadata.correlationId, causationId: event.metadata.eventId });
  }

  /** Only the deployments the changed instance concerns; the reconciler coalesces the requests per deployment. */
  private reconcileWhenFleetChanged(change: FleetChange): void {
    if (!change.concernsRollouts) return;
    for (const deploymentId of this.views.deployments.concerning(change.capacityProviderArn, change.daemonArns))
      this.reconciler.request(deploymentId, { correlationId: this.views.deployments.correlationIdOf(deploymentId) });
  }

  /** The deployments watching the alarm (spec 3.5): those still moving forward, the bake included. */
  private reconcileWatching(alarmStreamId: string): void {
    for (const deploymentId of this.views.deployments.watching(alarmStreamId))
      this.reconciler.request(deploymentId, { correlationId: this.views.deployments.correlationIdOf(deploymentId) });
  }

  private async react(event: RecordedEvent): Promise<void> {
    switch (event.type) {
      case 'DaemonRevisionCreated':
        await this.views.reached(event.globalPosition);
        await this.daemonReactions.openDeploymentWhenDaemonChanged(event);
        return this.taskDefinitionReactions.finishDeletionsNoLongerUsed(event);
      case 'DaemonDeletionRequested':
        await this.views.reached(event.globalPosition);
        return this.daemonReactions.openDeploymentWhenDaemonChanged(event);
      case 'DaemonRemoved':
        await this.views.reached(event.globalPosition);
        return this.taskDefinitionReactions.finishDeletionsNoLongerUsed(event);
      case 'DaemonTaskDefinitionDeletionRequested':
        await this.views.reached(event.globalPosition);
        return this.taskDefinitionReactions.finishDeletionWhenUnused(event);
      case 'DeploymentSucceeded':
        await this.views.reached(event.globalPosition);
        await this.daemonReactions.removeDaemonWhenDeletionSucceeded(event);
        return this.taskDefinitionReactions.finishDeletionsNoLongerUsed(event);
      case 'DeploymentRollbackStarted':
        await this.views.reached(event.globalPosition);
        return this.daemonReactions.restoreRevisionWhenRollbackStarted(event);
    }
  }
}
