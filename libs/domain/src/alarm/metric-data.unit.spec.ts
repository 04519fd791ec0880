import { METRIC_DATA_BUCKET_MS } from '@daemonfleet/contracts';
import { describe, expect, it } from 'vitest';
import { InvalidParameter } from '../shared/domain-errors.js';
import { metricDataBatches } from './metric-data.js';
import { canonicalDimensions, metricSeriesKey } from './metric-series.js';

describe('metricDataBatches (PutMetricData)', () => {
  it('stores data points with sorted dimensions and epoch-millisecond timestamps, now when none is given', () => {
    expect(metricDataBatches('AWS/ECS', [{ metricName: 'CPUUtilization', dimensions: [b, a], value: 42, timestamp: 1_795_000_000.1, unit: 'Percent' }, { metricName: 'Count', value: 1 }], NOW)).toEqual([
      {
        bucket: Math.floor(NOW / METRIC_DATA_BUCKET_MS),
        event: {
          type: 'MetricDataPut',
          data: {
            namespace: 'AWS/ECS',
            datapoints: [
              { metricName: 'CPUUtilization', dimensions: [a, b], timestamp: 1_795_000_000_100, value: 42, unit: 'Percent' },
              { metricName: 'Count', dimensions: [], timestamp: NOW, value: 1 },
            ],
            putAt: NOW,
          },
        },
      },
    ]);
  });

  it('splits one call by the hour its data points fall in, oldest first', () => {
    const batches = metricDataBatches('App', [{ metricName: 'm', value: 1 }, { metricName: 'm', value: 2, timestamp: (NOW - METRIC_DATA_BUCKET_MS) / 1000 }], NOW);
    expect(batches.map(({ bucket, event }) => [bucket, event.data.datapoints.map((point) => point.value)])).toEqual([
      [Math.floor(NOW / METRIC_DATA_BUCKET_MS) - 1, [2]],
      [Math.floor(NOW / METRIC_DATA_BUCKET_MS), [1]],
    ]);
  });

  it.each([
    ['more than two weeks old', NOW - 14 * 86_400_000 - 1_000],
    ['more than two hours ahead', NOW + 2 * 3_600_000 + 1_000],
  ])('refuses a data point %s, naming it', (_what, timestamp) => {
    expect(() => metricDataBatches('App', [{ metricName: 'm', value: 1 }, { metricName: 'm', value: 1, timestamp: timestamp / 1000 }], NOW)).toThrow(
      expect.objectContaining({ constructor: InvalidParameter, details: { field: 'metricData.1.timestamp' } }),
    );
  });
});

describe('metric series', () => {
  it('names a metric by its dimensions as a set, in one account and region', () => {
    const metric = { namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: [a, b] };
    expect(metricSeriesKey(scope, metric)).toBe(metricSeriesKey(scope, { ...metric, dimensions: [b, a] }));
    expect(metricSeriesKey(scope, metric)).not.toBe(metricSeriesKey({ ...scope, region: 'eu-west-1' }, metric));
    expect(metricSeriesKey(scope, metric)).not.toBe(metricSeriesKey(scope, { ...metric, dimensions: [a] }));
    expect(canonicalDimensions([b, a])).toEqual([a, b]);
  });
});

// Fixtures last.
const NOW = 1_795_000_000_000;
const scope = { accountId: '000000000000', region: 'us-east-1' };
const a = { name: 'ClusterName', value: 'prod' };
const b = { name: 'ServiceName', value: 'daemon:monitor' };
