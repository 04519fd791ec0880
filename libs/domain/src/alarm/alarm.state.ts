import type { AlarmEvent, AlarmState, EpochMillis, MetricAlarmSpec } from '@daemonfleet/contracts';
import { assertNever } from '../shared/decider.js';

/** A metric alarm that exists: its configuration and its state (CloudWatch's MetricAlarm). */
export interface ActiveMetricAlarm {
  readonly status: 'ACTIVE';
  readonly spec: MetricAlarmSpec;
  readonly configurationUpdatedAt: EpochMillis;
  readonly stateValue: AlarmState;
  readonly stateReason: string;
  readonly stateReasonData?: string;
  /** When the state last changed (or the alarm was created). */
  readonly stateUpdatedAt: EpochMillis;
  /** Store position of the newest metric data an evaluation of this alarm has seen; 0 before any. */
  readonly dataPosition: number;
}

/** NONE before the alarm is put and after it is deleted: a later PutMetricAlarm of the name starts a new alarm. */
export type MetricAlarmState = { readonly status: 'NONE' } | ActiveMetricAlarm;

/** CloudWatch's reason for a new alarm, before its first evaluation. */
export const INITIAL_ALARM_REASON = 'Unchecked: Initial alarm creation';

export const initialMetricAlarmState = (): MetricAlarmState => ({ status: 'NONE' });

export function evolveMetricAlarm(state: MetricAlarmState, event: AlarmEvent): MetricAlarmState {
  switch (event.type) {
    case 'MetricAlarmPut': {
      const { alarm, putAt } = event.data;
      // CloudWatch: an update replaces the whole configuration and leaves the state as it is.
      if (state.status === 'ACTIVE') return { ...state, spec: alarm, configurationUpdatedAt: putAt };
      return {
        status: 'ACTIVE',
        spec: alarm,
        configurationUpdatedAt: putAt,
        stateValue: 'INSUFFICIENT_DATA',
        stateReason: INITIAL_ALARM_REASON,
        stateUpdatedAt: putAt,
        dataPosition: 0,
      };
    }
    case 'AlarmStateChanged': {
      if (state.status !== 'ACTIVE') return state;
      const { state: stateValue, reason, reasonData, changedAt, dataPosition } = event.data;
      const { stateReasonData: _previousData, ...rest } = state;
      return {
        ...rest,
        stateValue,
        stateReason: reason,
        ...(reasonData === undefined ? {} : { stateReasonData: reasonData }),
        stateUpdatedAt: changedAt,
        dataPosition: Math.max(state.dataPosition, dataPosition ?? 0),
      };
    }
    case 'MetricAlarmDeleted':
      return { status: 'NONE' };
    default:
      return assertNever(event);
  }
}
