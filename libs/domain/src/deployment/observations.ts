import type { AlarmStateValue, InstanceRecord } from '@daemonfleet/contracts';

/** What the orchestrator observed of the world when it reconciles: the instances of the relevant providers. */
export interface FleetView {
  readonly instances: readonly InstanceRecord[];
}

/** The current state of each watched alarm (null: no such alarm). */
export interface AlarmView {
  readonly states: Readonly<Record<string, AlarmStateValue | null>>;
}
