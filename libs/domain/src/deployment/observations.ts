import type { AlarmState, DeploymentTargetRevision, EpochMillis } from '@daemonfleet/contracts';
import type { FleetState } from '../fleet/fleet.state.js';

/** An alarm as last seen (spec 3.5): its state, and how many times it has gone into ALARM since it was first put. */
export interface ObservedAlarm {
  readonly state: AlarmState;
  readonly timesInAlarm: number;
}

/** The watched alarms by name; an alarm that does not exist (or no longer does) is absent. */
export type AlarmView = Readonly<Record<string, ObservedAlarm | undefined>>;

/**
 * What the orchestrator observed of the world when it reconciles a deployment. Only read, never changed.
 * - `fleets`: the states of the relevant capacity providers: every provider of the target revision (and of the
 *   rollback target), and every provider one of whose instances runs (or is to run) the deployment's daemon.
 *   Instances of other daemons' providers are ignored, so passing more providers changes nothing but the cost.
 * - `bakeDurationMs`: the bake time in milliseconds, already divided by TIME_SCALE (architecture section 5).
 * - `failedStarts`: failed daemon task starts on the replacements this deployment launched, by daemon revision ARN
 *   (decision 1: `failedStartsOf`). Revisions without a failure may be absent.
 * - `previousRevision`: what a rollback returns to (spec 3.7): the revision the daemon's latest deployment before
 *   this one that ended well left in place (`previousRevisionOf`); null when none did (decision 6).
 */
export interface Observation {
  readonly now: EpochMillis;
  readonly fleets: readonly FleetState[];
  readonly alarms: AlarmView;
  readonly bakeDurationMs: number;
  readonly failedStarts: Readonly<Record<string, number>>;
  readonly previousRevision: DeploymentTargetRevision | null;
}
