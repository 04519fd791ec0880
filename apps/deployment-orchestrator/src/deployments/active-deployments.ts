import { Inject, Injectable } from '@nestjs/common';
import { StreamCategory, type DeploymentEvent } from '@daemonfleet/contracts';
import { evolveDeployment, initialDeploymentState, isTerminal, type DeploymentState } from '@daemonfleet/domain';
import type { EventStore, RecordedEvent } from '@daemonfleet/event-store';
import { EVENT_STORE } from '@daemonfleet/service-runtime';

/**
 * The deployments that are not finished yet, with the correlation id of the request that created each: what the
 * resync tick reconciles. Rebuilt from the store on start, then kept current by the event subscription.
 */
@Injectable()
export class ActiveDeployments {
  private readonly active = new Map<string, { correlationId?: string }>();
  private readonly states = new Map<string, DeploymentState>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Reads every deployment event once; returns the position to go on from. */
  async rebuild(): Promise<number> {
    let position = 1;
    let last = 0;
    for (;;) {
      const batch = await this.store.readAll({ fromPosition: position, maxCount: 1000, filter: { categories: [StreamCategory.daemonDeployment] } });
      if (batch.length === 0) break;
      for (const event of batch) this.apply(event);
      last = batch.at(-1)!.globalPosition;
      position = last + 1;
    }
    // Only the unfinished ones are kept in memory afterwards.
    for (const [id, state] of this.states) if (isTerminal(state)) this.states.delete(id);
    return last;
  }

  apply(event: RecordedEvent): void {
    const deploymentId = deploymentIdOf(event.streamId);
    const state = evolveDeployment(this.states.get(deploymentId) ?? initialDeploymentState(), event as unknown as DeploymentEvent);
    if (isTerminal(state)) {
      this.states.delete(deploymentId);
      this.active.delete(deploymentId);
      return;
    }
    this.states.set(deploymentId, state);
    if (event.type === 'DeploymentCreated') this.active.set(deploymentId, { correlationId: event.metadata.correlationId });
  }

  entries(): [string, { correlationId?: string }][] {
    return [...this.active];
  }
}

export function deploymentIdOf(streamId: string): string {
  return streamId.slice(StreamCategory.daemonDeployment.length + 1);
}
