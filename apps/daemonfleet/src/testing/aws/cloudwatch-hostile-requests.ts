import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { CLOUDWATCH_TARGET } from './aws-raw-client.js';
import { hostileRequestsTo, type HostileRequest, type OperationCatalog } from './hostile-requests.js';

/** Now, in epoch seconds: a PutMetricData of the fuzz run is stamped within CloudWatch's range. */
const NOW = Math.floor(Date.now() / 1000);

/**
 * A valid request of each CloudWatch operation, on the fuzz world's alarm `fz-cpu` (`fz-new` does not exist): each
 * mutation makes it invalid, so none may change anything.
 */
const CLOUDWATCH_CATALOG: OperationCatalog = {
  target: CLOUDWATCH_TARGET,
  otherVersion: (operation) => `GraniteServiceVersion20100802.${operation}`,
  valid: {
    PutMetricAlarm: {
      AlarmName: 'fz-new',
      AlarmDescription: 'fuzz',
      ActionsEnabled: true,
      OKActions: [],
      Namespace: 'Fuzz',
      MetricName: 'Latency',
      Statistic: 'Average',
      Dimensions: [{ Name: 'Route', Value: '/' }],
      Period: 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 1,
      Threshold: 100,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'ignore',
      Tags: [{ Key: 'k', Value: 'v' }],
    },
    SetAlarmState: { AlarmName: 'fz-cpu', StateValue: 'ALARM', StateReason: 'fuzz' },
    DeleteAlarms: { AlarmNames: ['fz-cpu'] },
    PutMetricData: { Namespace: 'Fuzz', MetricData: [{ MetricName: 'Latency', Dimensions: [{ Name: 'Route', Value: '/' }], Value: 1, Timestamp: NOW, Unit: 'Milliseconds' }] },
    DescribeAlarms: { AlarmNames: ['fz-cpu'], StateValue: 'OK', AlarmTypes: ['MetricAlarm'], MaxRecords: 10 },
    DescribeAlarmHistory: { AlarmName: 'fz-cpu', HistoryItemType: 'StateUpdate', StartDate: 0, EndDate: NOW + 3600, ScanBy: 'TimestampAscending', MaxRecords: 10 },
  },
  required: {
    PutMetricAlarm: ['AlarmName', 'Namespace', 'MetricName', 'Statistic', 'Period', 'EvaluationPeriods', 'Threshold', 'ComparisonOperator'],
    SetAlarmState: ['AlarmName', 'StateValue', 'StateReason'],
    DeleteAlarms: ['AlarmNames'],
    PutMetricData: ['Namespace', 'MetricData'],
  },
  // Any double is a threshold; a data point's value may be as large as 2^360.
  unbounded: { PutMetricAlarm: ['Threshold'], PutMetricData: ['MetricData.0.Value'] },
};

/** Gzip bodies (PutMetricData's compression): a mutated request compressed, bytes that are no gzip, a bomb. */
const compressed: fc.Arbitrary<HostileRequest> = fc.oneof(
  hostileRequestsTo(CLOUDWATCH_CATALOG)
    .filter((request) => typeof request.body === 'string' && request.body.length < 64 * 1024)
    .map((request) => ({ ...request, what: `gzip of ${request.what}`, body: gzipSync(request.body), headers: { 'content-encoding': 'gzip' } })),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ what: 'bytes that are no gzip', target: CLOUDWATCH_TARGET('PutMetricData'), body: bytes, headers: { 'content-encoding': 'gzip' } })),
  fc.integer({ min: 1, max: 4096 }).map((extra) => ({
    what: `gzip inflating to ${1024 * 1024 + extra} bytes`,
    target: CLOUDWATCH_TARGET('PutMetricData'),
    body: gzipSync(' '.repeat(1024 * 1024 + extra)),
    headers: { 'content-encoding': 'gzip' },
  })),
);

/** Every kind of hostile request to the CloudWatch operations, compressed bodies included. */
export const hostileCloudWatchRequest: fc.Arbitrary<HostileRequest> = fc.oneof({ arbitrary: hostileRequestsTo(CLOUDWATCH_CATALOG), weight: 6 }, { arbitrary: compressed, weight: 1 });
