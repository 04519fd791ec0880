import type { AlarmState, ComparisonOperator, EpochMillis, MetricAlarmSpec } from '@daemonfleet/contracts';
import type { AlarmEvaluation, EvaluatedPeriod } from './alarm-evaluation.js';

/**
 * Why an evaluation moved the alarm, in CloudWatch's words (its stateReason), for example
 * `Threshold Crossed: 2 out of the last 3 datapoints [91.0 (27/11/26 10:01:00), 85.0 (27/11/26 10:00:00)] were
 * greater than the threshold (80.0) (minimum 2 datapoints for OK -> ALARM transition).` Data points are listed newest
 * first, with the start of their period (UTC).
 */
export function evaluationReason(spec: MetricAlarmSpec, evaluation: AlarmEvaluation, state: AlarmState, previous: AlarmState): string {
  const { periods } = evaluation;
  if (state === 'INSUFFICIENT_DATA') return `Insufficient Data: ${count(periods.length, 'datapoint')} ${wasWere(periods.length)} unknown.`;
  const breaching = state === 'ALARM';
  const counted = periods.filter((period) => period.breaching === breaching);
  const present = counted.filter((period) => period.value !== null);
  const treated = counted.length - present.length;
  const treatedAs = breaching ? 'Breaching' : 'NonBreaching';
  if (present.length === 0)
    return `Threshold Crossed: no datapoints were received for ${count(treated, 'period')} and ${count(treated, 'missing datapoint')} ${wasWere(treated)} treated as [${treatedAs}].`;
  const listed = `[${present.map((period) => `${formatNumber(period.value!)} (${formatDate(period.start)})`).join(', ')}]`;
  const missing = treated > 0 ? ` and ${count(treated, 'missing datapoint')} ${wasWere(treated)} treated as [${treatedAs}]` : '';
  const comparison = `${wasWere(present.length)} ${breaching ? '' : 'not '}${OPERATOR_WORDS[spec.comparisonOperator]} the threshold (${formatNumber(spec.threshold)})`;
  const minimum = breaching ? spec.datapointsToAlarm : spec.evaluationPeriods - spec.datapointsToAlarm + 1;
  const transition = `(minimum ${count(minimum, 'datapoint')} for ${previous} -> ${state} transition)`;
  const crossed = breaching ? `${counted.length} out of the last ${periods.length} datapoints ${listed}` : `${count(present.length, 'datapoint')} ${listed}`;
  return `Threshold Crossed: ${crossed} ${comparison}${missing} ${transition}.`;
}

/** CloudWatch's stateReasonData: what the evaluation looked at, as a JSON document. */
export function evaluationReasonData(spec: MetricAlarmSpec, evaluation: AlarmEvaluation, now: EpochMillis): string {
  const present = evaluation.periods.filter((period): period is EvaluatedPeriod & { value: number } => period.value !== null);
  return JSON.stringify({
    version: '1.0',
    queryDate: isoDate(now),
    startDate: isoDate(evaluation.periods.at(-1)!.start),
    statistic: spec.statistic,
    period: spec.period,
    recentDatapoints: [...present].reverse().map((period) => period.value),
    threshold: spec.threshold,
    evaluatedDatapoints: present.map((period) => ({ timestamp: isoDate(period.start), sampleCount: period.sampleCount, value: period.value })),
  });
}

const OPERATOR_WORDS: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const wasWere = (n: number) => (n === 1 ? 'was' : 'were');

/** As CloudWatch (Java) prints a double: whole numbers keep one decimal (80.0). */
export function formatNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(1) : String(value);
}

/** dd/MM/yy HH:mm:ss in UTC, as CloudWatch's reasons; milliseconds too when there are any (sub-second periods). */
export function formatDate(epochMillis: EpochMillis): string {
  const date = new Date(Math.floor(epochMillis));
  const two = (n: number) => String(n).padStart(2, '0');
  const millis = date.getUTCMilliseconds();
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}${millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`}`;
  return `${two(date.getUTCDate())}/${two(date.getUTCMonth() + 1)}/${two(date.getUTCFullYear() % 100)} ${time}`;
}

const isoDate = (epochMillis: EpochMillis) => new Date(Math.floor(epochMillis)).toISOString().replace('Z', '+0000');
