import type { AlarmStateValue, EpochMillis } from '@daemonfleet/contracts';
import type { FleetState } from '../fleet/fleet.state.js';

/** The current state of each watched alarm (null: no such alarm). */
export interface AlarmView {
  readonly states: Readonly<Record<string, AlarmStateValue | null>>;
}

/**
 * What the orchestrator observed of the world when it reconciles a deployment. Only read, never changed.
 * - `fleets`: the states of the relevant capacity providers: every provider of the target revision, and every
 *   provider one of whose instances runs (or is to run) the deployment's daemon. Instances of other daemons'
 *   providers are ignored, so passing more providers changes nothing but the cost.
 * - `bakeDurationMs`: the bake time in milliseconds, already divided by TIME_SCALE (architecture section 5).
 */
export interface Observation {
  readonly now: EpochMillis;
  readonly fleets: readonly FleetState[];
  readonly alarms: AlarmView;
  readonly bakeDurationMs: number;
}
