import type { AlarmEvent, AlarmState, AlarmStateChanged, EpochMillis, MetricAlarmDeleted, MetricAlarmPut, Scope } from '@daemonfleet/contracts';
import { assertNever, type Decider } from '../shared/decider.js';
import { AlarmNotFound } from '../shared/domain-errors.js';
import { evaluateMetricAlarm } from './alarm-evaluation.js';
import { evaluationReason, evaluationReasonData } from './alarm-reason.js';
import { metricAlarmSpec, type PutMetricAlarmInput } from './alarm-spec.js';
import { evolveMetricAlarm, initialMetricAlarmState, type ActiveMetricAlarm, type MetricAlarmState } from './alarm.state.js';
import type { MetricDatapoint } from './metric-series.js';

export type PutMetricAlarm = {
  readonly type: 'PutMetricAlarm';
  readonly data: { readonly scope: Scope; readonly alarm: PutMetricAlarmInput; readonly now: EpochMillis };
};
export type DeleteAlarm = { readonly type: 'DeleteAlarm'; readonly data: { readonly alarmName: string; readonly now: EpochMillis } };
/** CloudWatch SetAlarmState: a manual override, kept until an evaluation decides otherwise. */
export type SetAlarmState = {
  readonly type: 'SetAlarmState';
  readonly data: { readonly alarmName: string; readonly stateValue: AlarmState; readonly stateReason: string; readonly now: EpochMillis };
};
/**
 * Evaluate the alarm on the data points of its metric (those of its evaluation range at least), as they stood at
 * store position `dataPosition`, at `now`; periods are simulated time, divided by `timeScale`.
 */
export type EvaluateAlarm = {
  readonly type: 'EvaluateAlarm';
  readonly data: { readonly now: EpochMillis; readonly timeScale: number; readonly datapoints: readonly MetricDatapoint[]; readonly dataPosition: number };
};

export type AlarmCommand = PutMetricAlarm | DeleteAlarm | SetAlarmState | EvaluateAlarm;

/** Creates the alarm, or replaces its configuration; the same configuration again changes nothing. */
const putMetricAlarm = ({ data }: PutMetricAlarm, state: MetricAlarmState): MetricAlarmPut[] => {
  const alarm = metricAlarmSpec(data.scope, data.alarm);
  if (state.status === 'ACTIVE' && JSON.stringify(state.spec) === JSON.stringify(alarm)) return [];
  return [{ type: 'MetricAlarmPut', data: { alarm, putAt: data.now } }];
};

const deleteAlarm = ({ data }: DeleteAlarm, state: MetricAlarmState): MetricAlarmDeleted[] => {
  const alarm = requireAlarm(state, data.alarmName);
  return [{ type: 'MetricAlarmDeleted', data: { alarmName: alarm.spec.alarmName, deletedAt: data.now } }];
};

/** Setting the state the alarm is already in records nothing. */
const setAlarmState = ({ data }: SetAlarmState, state: MetricAlarmState): AlarmStateChanged[] => {
  const alarm = requireAlarm(state, data.alarmName);
  if (alarm.stateValue === data.stateValue) return [];
  return [stateChanged(alarm, { state: data.stateValue, reason: data.stateReason, cause: 'SET_ALARM_STATE', changedAt: data.now })];
};

/**
 * A fact, never refused: the alarm may be gone by the time its evaluation is decided. Replicas evaluate the same
 * alarms, possibly from views a little behind: an evaluation older than the state's last change, or made on less data
 * than an earlier one, decides nothing, so none undoes a newer decision (a SetAlarmState included).
 */
const evaluateAlarm = ({ data }: EvaluateAlarm, state: MetricAlarmState): AlarmStateChanged[] => {
  if (state.status !== 'ACTIVE' || data.now < state.stateUpdatedAt || data.dataPosition < state.dataPosition) return [];
  const evaluation = evaluateMetricAlarm(state.spec, data.datapoints, data);
  if (evaluation.state === null || evaluation.state === state.stateValue) return [];
  return [
    stateChanged(state, {
      state: evaluation.state,
      reason: evaluationReason(state.spec, evaluation, evaluation.state, state.stateValue),
      cause: 'EVALUATION',
      changedAt: data.now,
      reasonData: evaluationReasonData(state.spec, evaluation, data.now),
      dataPosition: data.dataPosition,
    }),
  ];
};

function requireAlarm(state: MetricAlarmState, alarmName: string): ActiveMetricAlarm {
  if (state.status !== 'ACTIVE') throw new AlarmNotFound([alarmName]);
  return state;
}

type StateChange = Omit<AlarmStateChanged['data'], 'alarmName' | 'alarmArn' | 'previousState'>;

function stateChanged(alarm: ActiveMetricAlarm, change: StateChange): AlarmStateChanged {
  const { alarmName, alarmArn } = alarm.spec;
  return { type: 'AlarmStateChanged', data: { alarmName, alarmArn, previousState: alarm.stateValue, ...change } };
}

/** Stream `alarm-<account>.<region>.<name>` (Streams.alarm): one CloudWatch-style metric alarm. */
export const alarmDecider: Decider<MetricAlarmState, AlarmCommand, AlarmEvent> = {
  initialState: initialMetricAlarmState,
  evolve: evolveMetricAlarm,
  decide: (command, state) => {
    switch (command.type) {
      case 'PutMetricAlarm':
        return putMetricAlarm(command, state);
      case 'DeleteAlarm':
        return deleteAlarm(command, state);
      case 'SetAlarmState':
        return setAlarmState(command, state);
      case 'EvaluateAlarm':
        return evaluateAlarm(command, state);
      default:
        return assertNever(command);
    }
  },
};
