import type { AlarmStatistic, ComparisonOperator, EpochMillis, MetricDimension, Scope } from '@daemonfleet/contracts';

/** A metric as CloudWatch names it: a namespace, a name and dimensions. */
export interface MetricReference {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly MetricDimension[];
}

/** One data point of a series, as alarms evaluate it. */
export interface MetricDatapoint {
  readonly timestamp: EpochMillis;
  readonly value: number;
}

/** Dimensions sorted by name: a metric's dimensions are a set, whatever order a caller gives them in. */
export function canonicalDimensions(dimensions: readonly MetricDimension[]): MetricDimension[] {
  return [...dimensions].map(({ name, value }) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Names one series of data points in one account and region: equal keys, same metric. */
export function metricSeriesKey(scope: Scope, metric: MetricReference): string {
  const dimensions = canonicalDimensions(metric.dimensions).map(({ name, value }) => [name, value]);
  return JSON.stringify([scope.accountId, scope.region, metric.namespace, metric.metricName, dimensions]);
}

/**
 * Wall-clock milliseconds one period of `periodSeconds` simulated seconds lasts (architecture section 5): periods,
 * like every other simulated duration, are divided by TIME_SCALE.
 */
export function periodMillis(periodSeconds: number, timeScale: number): number {
  return (periodSeconds * 1000) / timeScale;
}

/** CloudWatch's statistic of the values of one period (never called with none). */
export function aggregate(statistic: AlarmStatistic, values: readonly number[]): number {
  switch (statistic) {
    case 'SampleCount':
      return values.length;
    case 'Sum':
      return values.reduce((sum, value) => sum + value, 0);
    case 'Average':
      return values.reduce((sum, value) => sum + value, 0) / values.length;
    // Folded, not spread: a period of a busy series can hold more values than a call may take arguments.
    case 'Minimum':
      return values.reduce((min, value) => Math.min(min, value), Infinity);
    case 'Maximum':
      return values.reduce((max, value) => Math.max(max, value), -Infinity);
  }
}

/** Whether a period's value breaches the threshold. */
export function breaches(value: number, operator: ComparisonOperator, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}
