import { Inject, Injectable } from '@nestjs/common';
import { StreamCategory } from '@daemonfleet/contracts';
import type { EventStore, RecordedEvent } from '@daemonfleet/event-store';
import { EVENT_STORE } from '@daemonfleet/service-runtime';
import { AlarmProjection } from './alarms/alarm-projection.js';
import { ActiveDeployments } from './deployments/active-deployments.js';
import { DeploymentStatusMetrics } from './deployments/deployment-status.metrics.js';
import { PreviousRevisions } from './deployments/previous-revisions.js';
import { FleetProjection, type FleetChange } from './fleet/fleet-projection.js';
import { TaskDefinitionUsage } from './task-definitions/task-definition-usage.js';

/** The categories the orchestrator's views and reactions read. */
export const ORCHESTRATOR_CATEGORIES = [
  StreamCategory.capacityProvider,
  StreamCategory.daemon,
  StreamCategory.daemonDeployment,
  StreamCategory.daemonTaskDefinition,
  StreamCategory.alarm,
] as const;

/** What applying one event did: whether it was new to the views, and what it changed in the fleet or which alarm. */
export interface Applied {
  readonly fresh: boolean;
  readonly fleetChange?: FleetChange;
  readonly alarmStreamId?: string;
}

/**
 * The orchestrator's in-memory views, rebuilt at start by reading their categories, then kept current by a
 * subscription of this process from where the rebuild ended (every replica needs every event). A position
 * guard applies every event to the views exactly once, in global order; reactions wait on `reached`.
 */
@Injectable()
export class OrchestratorViews {
  private position = 0;
  private readonly waiters: { readonly position: number; readonly resolve: () => void }[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    readonly fleet: FleetProjection,
    readonly deployments: ActiveDeployments,
    readonly taskDefinitions: TaskDefinitionUsage,
    readonly alarms: AlarmProjection,
    readonly previousRevisions: PreviousRevisions,
    private readonly statuses: DeploymentStatusMetrics,
  ) {}

  /** Reads every event of the categories once; returns the position the views reflect. */
  async rebuild(): Promise<number> {
    for (;;) {
      const batch = await this.store.readAll({ fromPosition: this.position + 1, maxCount: 1000, filter: { categories: ORCHESTRATOR_CATEGORIES } });
      if (batch.length === 0) return this.position;
      for (const event of batch) this.apply(event);
    }
  }

  /** Resolves once the views reflect every event of their categories up to `position`. */
  reached(position: number): Promise<void> {
    if (position <= this.position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  apply(event: RecordedEvent): Applied {
    if (event.globalPosition <= this.position) return { fresh: false };
    this.position = event.globalPosition;
    const applied = this.applyToView(event);
    for (const waiter of this.waiters.filter((w) => w.position <= this.position)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    return applied;
  }

  private applyToView(event: RecordedEvent): Applied {
    const category = event.streamId.slice(0, event.streamId.indexOf('-'));
    switch (category) {
      case StreamCategory.capacityProvider:
        return { fresh: true, fleetChange: this.fleet.apply(event) };
      case StreamCategory.daemonDeployment: {
        const state = this.deployments.apply(event);
        this.statuses.record(event.streamId, state.status);
        this.previousRevisions.applyDeployment(state);
        return { fresh: true };
      }
      case StreamCategory.alarm:
        this.alarms.apply(event);
        return { fresh: true, alarmStreamId: event.streamId };
      case StreamCategory.daemon:
        this.previousRevisions.applyDaemonEvent(event);
        this.taskDefinitions.apply(event);
        return { fresh: true };
      default:
        this.taskDefinitions.apply(event);
        return { fresh: true };
    }
  }
}
