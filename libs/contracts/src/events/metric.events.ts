import type { EpochMillis, Event } from './event.js';
import type { MetricDimension } from './alarm.events.js';

/** One stored data point of a metric (CloudWatch PutMetricData's MetricDatum), as alarms evaluate it. */
export interface MetricDatapointRecord {
  readonly metricName: string;
  /** Sorted by name: CloudWatch tells metrics apart by their dimensions as a set, whatever order they came in. */
  readonly dimensions: readonly MetricDimension[];
  readonly timestamp: EpochMillis;
  readonly value: number;
  readonly unit?: string;
}

/**
 * Stream `metric-<account>.<region>.<namespace>.<hour>` (Streams.metricData): the data points of one namespace whose
 * timestamps fall in one hour of wall-clock time, one event per PutMetricData call. Hourly streams bound what the
 * alarm monitor reads back when it starts: only the hours its alarms' windows cover.
 */
export type MetricDataPut = Event<'MetricDataPut', { readonly namespace: string; readonly datapoints: readonly MetricDatapointRecord[]; readonly putAt: EpochMillis }>;

export type MetricEvent = MetricDataPut;
