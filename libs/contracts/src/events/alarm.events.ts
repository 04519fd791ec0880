import type { EpochMillis, Event, Tag } from './event.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type AlarmStatistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';
export type ComparisonOperator =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';
export type TreatMissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

export interface MetricDimension {
  readonly name: string;
  readonly value: string;
}

/** A CloudWatch-style metric alarm (PutMetricAlarm), as given, with defaults filled in. */
export interface MetricAlarmSpec {
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly alarmDescription?: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly MetricDimension[];
  readonly statistic: AlarmStatistic;
  /** Seconds of simulated time per evaluated period (divided by TIME_SCALE when evaluated). */
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  readonly treatMissingData: TreatMissingData;
  readonly actionsEnabled: boolean;
  readonly tags: readonly Tag[];
}

/** Stream `alarm-<account>.<region>.<alarmName>`: created, or replaced by a later PutMetricAlarm of the same name. */
export type MetricAlarmPut = Event<'MetricAlarmPut', { readonly alarm: MetricAlarmSpec; readonly putAt: EpochMillis }>;

/** The alarm moved between OK, ALARM and INSUFFICIENT_DATA; deployments watching it learn of it here (spec 3.5). */
export type AlarmStateChanged = Event<
  'AlarmStateChanged',
  {
    readonly alarmName: string;
    readonly alarmArn: string;
    readonly previousState: AlarmState;
    readonly state: AlarmState;
    /** Why, in words (CloudWatch's stateReason). */
    readonly reason: string;
    /** EVALUATION of the metric, or SET_ALARM_STATE by a user (CloudWatch's SetAlarmState). */
    readonly cause: 'EVALUATION' | 'SET_ALARM_STATE';
    readonly changedAt: EpochMillis;
    /** EVALUATION only: what was evaluated, as CloudWatch's stateReasonData (a JSON document). */
    readonly reasonData?: string;
    /**
     * EVALUATION only: store position of the newest metric data the evaluation had seen. An evaluation that saw
     * less (a lagging replica) never undoes one that saw more.
     */
    readonly dataPosition?: number;
  }
>;

export type MetricAlarmDeleted = Event<'MetricAlarmDeleted', { readonly alarmName: string; readonly deletedAt: EpochMillis }>;

export type AlarmEvent = MetricAlarmPut | AlarmStateChanged | MetricAlarmDeleted;
