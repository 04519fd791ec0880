import { METRIC_DATA_BUCKET_MS, type EpochMillis, type MetricDataPut, type MetricDatapointRecord, type MetricDimension } from '@daemonfleet/contracts';
import { InvalidParameter } from '../shared/domain-errors.js';
import { canonicalDimensions } from './metric-series.js';

/** One datum of PutMetricData as a caller gives it (the DTO's fields): the timestamp in epoch seconds. */
export interface MetricDatumInput {
  readonly metricName: string;
  readonly dimensions?: readonly MetricDimension[];
  readonly value: number;
  readonly timestamp?: number;
  readonly unit?: string;
}

/** CloudWatch takes data points from two weeks back to two hours ahead. */
const OLDEST_MS = 14 * 86_400_000;
const NEWEST_MS = 2 * 3_600_000;

export interface MetricDataBatch {
  /** floor(timestamp / METRIC_DATA_BUCKET_MS) of every data point of the event: the stream it belongs in. */
  readonly bucket: number;
  readonly event: MetricDataPut;
}

/**
 * PutMetricData: the data points as stored, one event per bucket of time they fall in (in bucket order); a datum
 * without a timestamp is taken at `now`. Refuses the whole call when one timestamp is out of CloudWatch's range.
 */
export function metricDataBatches(namespace: string, metricData: readonly MetricDatumInput[], now: EpochMillis): MetricDataBatch[] {
  const byBucket = new Map<number, MetricDatapointRecord[]>();
  metricData.forEach((datum, index) => {
    const timestamp = datum.timestamp === undefined ? now : Math.round(datum.timestamp * 1000);
    if (timestamp < now - OLDEST_MS || timestamp > now + NEWEST_MS)
      throw new InvalidParameter(`metricData.${index}.timestamp`, `metricData.${index}.timestamp: must be within the past two weeks and at most two hours ahead`);
    const record: MetricDatapointRecord = {
      metricName: datum.metricName,
      dimensions: canonicalDimensions(datum.dimensions ?? []),
      timestamp,
      value: datum.value,
      ...(datum.unit === undefined ? {} : { unit: datum.unit }),
    };
    const bucket = Math.floor(timestamp / METRIC_DATA_BUCKET_MS);
    const records = byBucket.get(bucket);
    if (records) records.push(record);
    else byBucket.set(bucket, [record]);
  });
  return [...byBucket.entries()]
    .sort(([a], [b]) => a - b)
    .map(([bucket, datapoints]) => ({ bucket, event: { type: 'MetricDataPut', data: { namespace, datapoints, putAt: now } } }));
}
