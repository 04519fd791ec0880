import { recordedDeploymentCounts, type DeploymentState } from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { epochSeconds } from '../presenters/epoch-seconds.js';
import { presentDeployment } from '../presenters/deployment.presenter.js';
import { isDeploymentEvent } from './deployment-event-types.js';
import { narrateDeploymentEvent } from './deployment-narration.js';
import { deploymentProgress } from './deployment-progress.js';
import type { ReplayStep } from './deployment-replay.js';

/**
 * An event as the replay API shows it: where it stands (its stream's version, the store's global position), what
 * it is (type, schema version, data as stored, upcast to the current schema) and where it comes from (correlation
 * and causation ids). `occurredAt` in epoch seconds, as every time of the API; the data's own times stay as stored.
 */
export function presentRecordedEvent(event: RecordedEvent) {
  const { eventId, occurredAt, correlationId, causationId, schemaVersion } = event.metadata;
  return {
    version: event.streamVersion,
    position: event.globalPosition,
    type: event.type,
    occurredAt: epochSeconds(Date.parse(occurredAt)),
    eventId,
    schemaVersion,
    ...(correlationId === undefined ? {} : { correlationId }),
    ...(causationId === undefined ? {} : { causationId }),
    data: event.data,
  };
}

/**
 * DescribeDaemonDeployments' `daemonDeployment` for the state the deployment was in: the same presenter and the
 * same counts (those its stream last recorded), so the state at version n is what Describe answered at version n.
 */
export function presentDeploymentState(state: Exclude<DeploymentState, { status: 'NONE' }>) {
  return presentDeployment(state, recordedDeploymentCounts(state));
}

/** One step of a deployment's timeline: the event, what it means in words, and optionally the deployment after it. */
export function presentReplayStep({ event, before, after }: ReplayStep, { withState = false } = {}) {
  const recorded = { type: event.type, data: event.data };
  const summary = isDeploymentEvent(recorded) ? narrateDeploymentEvent(recorded, before, after) : `${event.type}: an event this version of daemonfleet does not know.`;
  return {
    ...presentRecordedEvent(event),
    summary,
    ...(withState && after.status !== 'NONE' ? { daemonDeployment: presentDeploymentState(after), progress: deploymentProgress(after) } : {}),
  };
}
