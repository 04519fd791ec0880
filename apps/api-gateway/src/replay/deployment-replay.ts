import { Streams, type DeploymentEvent } from '@daemonfleet/contracts';
import { evolveDeployment, initialDeploymentState, type DeploymentState } from '@daemonfleet/domain';
import type { EventStore, RecordedEvent } from '@daemonfleet/event-store';

/**
 * Events read per call while replaying: pages keep memory flat on a stream of 100,000 events (a few MB each), and each
 * event is let go once folded. The size weighs the stores against each other (npm run bench:replay, 2 cores): a page
 * the young generation cannot hold costs SQLite a third of its speed (about 270,000 events/s up to 3,000 events a page,
 * 180,000 from 4,000 on), while JetStream pays for a consumer per page (pages of 5,000 were 10 to 15% faster than
 * pages of 2,000). 2,000 leaves SQLite room for events larger than the benchmark's.
 */
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

/**
 * Folds one recorded deployment event with the orchestrator's own evolve: the read models do the same. The recorded
 * event is passed as it is (evolve reads its `type` and `data` only): no copy per event on a 100,000-event replay.
 */
export function foldDeploymentEvent(state: DeploymentState, event: RecordedEvent): DeploymentState {
  return evolveDeployment(state, event as unknown as DeploymentEvent);
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
    const page: (RecordedEvent | undefined)[] = await store.readStream(stream, { fromVersion, maxCount: Math.min(REPLAY_PAGE, toVersion - fromVersion + 1) });
    const count = page.length;
    for (let i = 0; i < count; i++) {
      const event = page[i]!;
      // Let go of each event once folded: the page holds only what is still to fold, and less outlives a collection.
      page[i] = undefined;
      const before = state;
      state = foldDeploymentEvent(state, event);
      last = event;
      if (visit?.({ event, before, after: state }) === false) return { state, version: event.streamVersion, last };
    }
    if (count < REPLAY_PAGE || !last) break;
    fromVersion = last.streamVersion + 1;
  }
  return { state, version: last?.streamVersion ?? 0, last };
}
