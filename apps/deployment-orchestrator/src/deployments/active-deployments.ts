import { Injectable } from '@nestjs/common';
import { StreamCategory, Streams, type DeploymentEvent } from '@daemonfleet/contracts';
import {
  evolveDeployment,
  initialDeploymentState,
  isTerminal,
  isUnfinished,
  parseEcsArn,
  providersToObserve,
  watchedAlarmNames,
  type DeploymentState,
  type UnfinishedDeployment,
} from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';

/**
 * The deployments that are not finished yet, with the correlation id of the request that created each: what the
 * resync tick reconciles, and what a fleet or alarm event may concern. Folded from the deployment events (at
 * start from the store, then from the subscription); finished deployments are dropped.
 */
@Injectable()
export class ActiveDeployments {
  private readonly states = new Map<string, DeploymentState>();
  private readonly correlationIds = new Map<string, string | undefined>();
  /**
   * The providers each state observes, worked out once per state: a batch lists up to thousands of instances, and
   * `concerning` runs on every fleet event. A state is a new object after each of its events, so none is stale.
   */
  private readonly observed = new WeakMap<UnfinishedDeployment, ReadonlySet<string>>();

  /** Folds the event; answers the deployment's state after it. */
  apply(event: RecordedEvent): DeploymentState {
    const deploymentId = deploymentIdOf(event.streamId);
    const state = evolveDeployment(this.states.get(deploymentId) ?? initialDeploymentState(), event as unknown as DeploymentEvent);
    if (isTerminal(state)) {
      this.states.delete(deploymentId);
      this.correlationIds.delete(deploymentId);
      return state;
    }
    this.states.set(deploymentId, state);
    if (event.type === 'DeploymentCreated') this.correlationIds.set(deploymentId, event.metadata.correlationId);
    return state;
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
      .filter(([, state]) => daemonArns.has(state.daemonArn) || this.providersObservedBy(state).has(capacityProviderArn))
      .map(([id]) => id);
  }

  private providersObservedBy(state: UnfinishedDeployment): ReadonlySet<string> {
    let providers = this.observed.get(state);
    if (!providers) this.observed.set(state, (providers = new Set(providersToObserve(state))));
    return providers;
  }

  /** The unfinished deployments of one daemon. */
  unfinishedOf(daemonArn: string): string[] {
    return [...this.unfinished()].filter(([, state]) => state.daemonArn === daemonArn).map(([id]) => id);
  }

  /** The unfinished deployments watching the alarm of this stream (alarm names are per account and region). */
  watching(alarmStreamId: string): string[] {
    return [...this.unfinished()]
      .filter(([, state]) => {
        const { scope } = parseEcsArn(state.daemonArn)!;
        return watchedAlarmNames(state).some((name) => Streams.alarm(scope, name) === alarmStreamId);
      })
      .map(([id]) => id);
  }

  private *unfinished(): Generator<[string, UnfinishedDeployment]> {
    for (const [id, state] of this.states) if (isUnfinished(state)) yield [id, state];
  }
}

export function deploymentIdOf(streamId: string): string {
  return streamId.slice(StreamCategory.daemonDeployment.length + 1);
}
