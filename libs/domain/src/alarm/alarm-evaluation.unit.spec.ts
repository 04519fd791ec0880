import type { AlarmState, MetricAlarmSpec } from '@daemonfleet/contracts';
import { describe, expect, it } from 'vitest';
import { evaluateMetricAlarm } from './alarm-evaluation.js';
import { formatDate, formatNumber } from './alarm-reason.js';
import type { MetricDatapoint } from './metric-series.js';

/**
 * Table tests of the evaluation: 2 out of 3 one-minute periods above 80 (Average), evaluated at 10:03:30 unless a
 * row says otherwise; `[m, v]` is a data point of value v in minute m (10:0m:01). null: the state is kept.
 */
describe('evaluateMetricAlarm', () => {
  it.each<[string, Partial<MetricAlarmSpec>, Array<[number, number]>, AlarmState | null]>([
    ['2 of 3 breaching', {}, [[0, 10], [1, 85], [2, 91]], 'ALARM'],
    ['1 of 3 breaching', {}, [[0, 10], [1, 10], [2, 91]], 'OK'],
    ['no data, treatMissingData missing', {}, [], 'INSUFFICIENT_DATA'],
    ['no data, ignore: the state is kept', { treatMissingData: 'ignore' }, [], null],
    ['no data, breaching', { treatMissingData: 'breaching' }, [], 'ALARM'],
    ['no data, notBreaching', { treatMissingData: 'notBreaching' }, [], 'OK'],
    ['1 breaching and 2 missing: too few known to decide', {}, [[2, 91]], null],
    ['1 breaching and 2 missing, ignore', { treatMissingData: 'ignore' }, [[2, 91]], null],
    ['2 breaching and 1 missing', {}, [[1, 91], [2, 91]], 'ALARM'],
    ['2 not breaching and 1 missing: ALARM impossible', {}, [[1, 10], [2, 10]], 'OK'],
    ['1 not breaching and 2 missing, breaching', { treatMissingData: 'breaching' }, [[2, 10]], 'ALARM'],
    ['1 breaching and 2 missing, notBreaching', { treatMissingData: 'notBreaching' }, [[2, 91]], 'OK'],
    ['the newest period without data yet: the range ends a period earlier', {}, [[0, 91], [1, 91]], 'ALARM'],
    ['… so it is not yet counted as breaching', { treatMissingData: 'breaching', datapointsToAlarm: 1 }, [[-1, 10], [0, 10], [1, 10]], 'OK'],
    ['data older than the range is not evaluated', {}, [[-3, 91], [-2, 91]], 'INSUFFICIENT_DATA'],
    ['data of the period in progress is not evaluated', {}, [[1, 10], [2, 10], [3, 99], [3, 99]], 'OK'],
    ['several data points in a period: their average', {}, [[1, 70], [1, 95], [2, 70], [2, 95]], 'ALARM'],
  ])('%s', (_what, change, points, expected) => {
    expect(evaluateMetricAlarm(spec(change), points.map(([minute, value]) => point(minute, value)), { now: at(3, 30_000), timeScale: 1 }).state).toBe(expected);
  });

  it('counts a period as missing once a later one has ended too', () => {
    const oneOfOne = spec({ evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'breaching' });
    expect(evaluateMetricAlarm(oneOfOne, [point(0, 10)], { now: at(1, 30_000), timeScale: 1 }).state).toBe('OK');
    expect(evaluateMetricAlarm(oneOfOne, [point(0, 10)], { now: at(2, 30_000), timeScale: 1 }).state).toBe('OK');
    expect(evaluateMetricAlarm(oneOfOne, [point(0, 10)], { now: at(3, 30_000), timeScale: 1 }).state).toBe('ALARM');
  });

  it.each<[MetricAlarmSpec['statistic'], number]>([
    ['SampleCount', 3],
    ['Sum', 90],
    ['Average', 30],
    ['Minimum', 10],
    ['Maximum', 60],
  ])('aggregates a period with the %s statistic', (statistic, value) => {
    const evaluation = evaluateMetricAlarm(spec({ statistic, evaluationPeriods: 1, datapointsToAlarm: 1 }), [point(2, 10), point(2, 20), point(2, 60)], { now: at(3), timeScale: 1 });
    expect(evaluation.periods).toEqual([{ start: at(2), value, sampleCount: 3, breaching: value > 80 }]);
  });

  it.each<[MetricAlarmSpec['comparisonOperator'], AlarmState]>([
    ['GreaterThanThreshold', 'OK'],
    ['GreaterThanOrEqualToThreshold', 'ALARM'],
    ['LessThanThreshold', 'OK'],
    ['LessThanOrEqualToThreshold', 'ALARM'],
  ])('compares a value equal to the threshold with %s', (comparisonOperator, expected) => {
    const oneOfOne = spec({ comparisonOperator, evaluationPeriods: 1, datapointsToAlarm: 1 });
    expect(evaluateMetricAlarm(oneOfOne, [point(2, 80)], { now: at(3), timeScale: 1 }).state).toBe(expected);
  });

  it('runs periods in simulated time: at TIME_SCALE 600 a one-minute period lasts 100 ms', () => {
    const points = [{ timestamp: T0 + 50, value: 91 }, { timestamp: T0 + 150, value: 91 }, { timestamp: T0 + 250, value: 91 }];
    const scaled = evaluateMetricAlarm(spec(), points, { now: T0 + 310, timeScale: 600 });
    expect(scaled.state).toBe('ALARM');
    expect(scaled.periods.map((period) => period.start)).toEqual([T0 + 200, T0 + 100, T0]);
    expect(evaluateMetricAlarm(spec(), points, { now: T0 + 310, timeScale: 1 }).state).toBe('INSUFFICIENT_DATA');
  });

  it('formats numbers and dates as CloudWatch’s reasons do', () => {
    expect([80, 91.5, -3, 0.0001, 1e21].map(formatNumber)).toEqual(['80.0', '91.5', '-3.0', '0.0001', '1e+21']);
    expect(formatDate(Date.UTC(2026, 10, 27, 10, 1, 0))).toBe('27/11/26 10:01:00');
    expect(formatDate(Date.UTC(2026, 0, 2, 3, 4, 5, 600))).toBe('02/01/26 03:04:05.600');
  });
});

// Fixtures last.
const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const at = (minute: number, extraMs = 0) => T0 + minute * 60_000 + extraMs;
const point = (minute: number, value: number): MetricDatapoint => ({ timestamp: at(minute, 1_000), value });

function spec(change: Partial<MetricAlarmSpec> = {}): MetricAlarmSpec {
  return {
    alarmName: 'cpu-high',
    alarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu-high',
    namespace: 'AWS/ECS',
    metricName: 'CPUUtilization',
    dimensions: [],
    statistic: 'Average',
    period: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    threshold: 80,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'missing',
    actionsEnabled: true,
    tags: [],
    ...change,
  };
}
