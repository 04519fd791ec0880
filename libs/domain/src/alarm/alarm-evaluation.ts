import type { AlarmState, EpochMillis, MetricAlarmSpec } from '@daemonfleet/contracts';
import { aggregate, breaches, periodMillis, type MetricDatapoint } from './metric-series.js';

/** One period of the evaluation range. */
export interface EvaluatedPeriod {
  readonly start: EpochMillis;
  /** The alarm's statistic over the period's data points; null when it has none (a missing period). */
  readonly value: number | null;
  readonly sampleCount: number;
  /** Whether it counts as breaching; null for a missing period that counts neither way (missing, ignore). */
  readonly breaching: boolean | null;
}

export interface AlarmEvaluation {
  /** The state the data call for; null when they decide nothing and the alarm keeps its state. */
  readonly state: AlarmState | null;
  /** The evaluation range, newest period first: `evaluationPeriods` of them. */
  readonly periods: readonly EvaluatedPeriod[];
}

/**
 * Evaluates a metric alarm as CloudWatch does, on the data points of its metric, at `now`.
 *
 * Time: periods are aligned on multiples of the period's length in wall-clock time, that length being the period's
 * simulated seconds divided by `timeScale`. Only finished periods are evaluated. The newest finished period, while it
 * has no data point, is not yet taken as missing: its data may still be on its way (a publisher reports a period once
 * it has ended), so the range then ends one period earlier. A period is missing once a later one has ended too.
 *
 * Decision, M = datapointsToAlarm of N = evaluationPeriods:
 * - a period with data breaches when its statistic compares with the threshold by the operator;
 * - a missing period counts as breaching (treatMissingData `breaching`), as not breaching (`notBreaching`), or
 *   neither (`missing`, `ignore`);
 * - ALARM when at least M periods breach; OK when more than N − M do not (M breaching ones are then impossible);
 * - no period with data at all: INSUFFICIENT_DATA for `missing`, the state kept for `ignore`;
 * - otherwise (too few periods known to decide) the state is kept.
 *
 * Invariants: a pure function of the spec, the data points as a set, `now` and `timeScale`.
 */
export function evaluateMetricAlarm(
  spec: MetricAlarmSpec,
  datapoints: readonly MetricDatapoint[],
  { now, timeScale }: { readonly now: EpochMillis; readonly timeScale: number },
): AlarmEvaluation {
  const length = periodMillis(spec.period, timeScale);
  const inProgress = Math.floor(now / length);
  const valuesByPeriod = new Map<number, number[]>();
  for (const { timestamp, value } of datapoints) {
    const index = Math.floor(timestamp / length);
    if (index >= inProgress - spec.evaluationPeriods - 1 && index < inProgress) {
      const values = valuesByPeriod.get(index);
      if (values) values.push(value);
      else valuesByPeriod.set(index, [value]);
    }
  }
  const newest = valuesByPeriod.has(inProgress - 1) ? inProgress - 1 : inProgress - 2;
  const periods = Array.from({ length: spec.evaluationPeriods }, (_, age) => evaluatePeriod(spec, newest - age, length, valuesByPeriod.get(newest - age)));
  return { state: decideState(spec, periods), periods };
}

function evaluatePeriod(spec: MetricAlarmSpec, index: number, length: number, values: readonly number[] | undefined): EvaluatedPeriod {
  const start = index * length;
  if (!values) return { start, value: null, sampleCount: 0, breaching: missingCountsAs(spec) };
  const value = aggregate(spec.statistic, values);
  return { start, value, sampleCount: values.length, breaching: breaches(value, spec.comparisonOperator, spec.threshold) };
}

function missingCountsAs(spec: MetricAlarmSpec): boolean | null {
  if (spec.treatMissingData === 'breaching') return true;
  if (spec.treatMissingData === 'notBreaching') return false;
  return null;
}

function decideState(spec: MetricAlarmSpec, periods: readonly EvaluatedPeriod[]): AlarmState | null {
  const { evaluationPeriods: n, datapointsToAlarm: m } = spec;
  const breaching = periods.filter((period) => period.breaching === true).length;
  const notBreaching = periods.filter((period) => period.breaching === false).length;
  if (breaching + notBreaching === 0) return spec.treatMissingData === 'ignore' ? null : 'INSUFFICIENT_DATA';
  if (breaching >= m) return 'ALARM';
  if (notBreaching > n - m) return 'OK';
  return null;
}
