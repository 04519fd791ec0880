import { Streams, type DeploymentEvent } from '@daemonfleet/contracts';
import { evolveDeployment, initialDeploymentState, type DeploymentState } from '@daemonfleet/domain';
import type { EventStore, RecordedEvent } from '@daemonfleet/event-store';

/** Events read per call while replaying: pages keep memory flat on a stream of 100,000 events (and fold faster). */
export const REPLAY_PAGE = 2_000;

/** One event of the replay, with the deployment's state before and after it. */
export interface ReplayStep {
  readonly event: RecordedEvent;
  readonly before: DeploymentState;
  readonly after: DeploymentState;
}

export interface ReplayResult {
  /** The deployment after the last event replayed ({ status: 'NONE' } for a stream with no events). */
  readonly state: DeploymentState;
  /** The version of the last event replayed (0 for none). */
  readonly version: number;
  /** The stream's last event replayed. */
  readonly last?: RecordedEvent;
}

/** Folds one recorded deployment event with the orchestrator's own evolve: the read models do the same. */
export function foldDeploymentEvent(state: DeploymentState, event: RecordedEvent): DeploymentState {
  return evolveDeployment(state, { type: event.type, data: event.data } as DeploymentEvent);
}

/**
 * Rebuilds a deployment from its stream, from its first event up to `toVersion` (the whole stream when absent),
 * telling `visit` about each event with the states around it; `visit` answering false stops the replay there. The store gives the events at their current schema
 * version (UpcastingEventStore), so a stream written by older code folds as today's would.
 */
export async function replayDeployment(
  store: EventStore,
  deploymentId: string,
  { toVersion = Number.POSITIVE_INFINITY, visit }: { toVersion?: number; visit?: (step: ReplayStep) => boolean | void } = {},
): Promise<ReplayResult> {
  const stream = Streams.daemonDeployment(deploymentId);
  let state = initialDeploymentState();
  let last: RecordedEvent | undefined;
  for (let fromVersion = 1; fromVersion <= toVersion; ) {
    const page = await store.readStream(stream, { fromVersion, maxCount: Math.min(REPLAY_PAGE, toVersion - fromVersion + 1) });
    for (const event of page) {
      const before = state;
      state = foldDeploymentEvent(state, event);
      last = event;
      if (visit?.({ event, before, after: state }) === false) return { state, version: event.streamVersion, last };
    }
    if (page.length < REPLAY_PAGE) break;
    fromVersion = page[page.length - 1].streamVersion + 1;
  }
  return { state, version: last?.streamVersion ?? 0, last };
}
