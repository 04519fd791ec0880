import { Injectable } from '@nestjs/common';
import { StreamCategory, type DeploymentEvent } from '@daemonfleet/contracts';
import {
  evolveDeployment,
  initialDeploymentState,
  isTerminal,
  providersToObserve,
  type DeploymentState,
  type InProgressDeployment,
  type PendingDeployment,
} from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';

type Unfinished = PendingDeployment | InProgressDeployment;

/**
 * The deployments that are not finished yet, with the correlation id of the request that created each: what the
 * resync tick reconciles, and what a fleet event may concern. Folded from the deployment events (at start from
 * the store, then from the subscription); finished deployments are dropped.
 */
@Injectable()
export class ActiveDeployments {
  private readonly states = new Map<string, DeploymentState>();
  private readonly correlationIds = new Map<string, string | undefined>();

  apply(event: RecordedEvent): void {
    const deploymentId = deploymentIdOf(event.streamId);
    const state = evolveDeployment(this.states.get(deploymentId) ?? initialDeploymentState(), event as unknown as DeploymentEvent);
    if (isTerminal(state)) {
      this.states.delete(deploymentId);
      this.correlationIds.delete(deploymentId);
      return;
    }
    this.states.set(deploymentId, state);
    if (event.type === 'DeploymentCreated') this.correlationIds.set(deploymentId, event.metadata.correlationId);
  }

  entries(): [string, { correlationId?: string }][] {
    return [...this.correlationIds].map(([id, correlationId]) => [id, { correlationId }]);
  }

  /** The request that created the deployment: every event of its rollout carries it. */
  correlationIdOf(deploymentId: string): string | undefined {
    return this.correlationIds.get(deploymentId);
  }

  /**
   * The unfinished deployments a change to this provider's instances may move forward: those of a daemon on the
   * changed instance, and those observing the provider anyway (the target's providers, the open batch's).
   * O(unfinished deployments): a handful.
   */
  concerning(capacityProviderArn: string, daemonArns: ReadonlySet<string>): string[] {
    return [...this.unfinished()]
      .filter(([, state]) => daemonArns.has(state.daemonArn) || providersToObserve(state).includes(capacityProviderArn))
      .map(([id]) => id);
  }

  /** The unfinished deployments of one daemon. */
  unfinishedOf(daemonArn: string): string[] {
    return [...this.unfinished()].filter(([, state]) => state.daemonArn === daemonArn).map(([id]) => id);
  }

  private *unfinished(): Generator<[string, Unfinished]> {
    for (const [id, state] of this.states) if (state.status === 'PENDING' || state.status === 'IN_PROGRESS') yield [id, state];
  }
}

export function deploymentIdOf(streamId: string): string {
  return streamId.slice(StreamCategory.daemonDeployment.length + 1);
}
