import type {
  AlarmStatistic,
  ComparisonOperator,
  MetricAlarmSpec,
  MetricDimension,
  Scope,
  Tag,
  TreatMissingData,
} from '@daemonfleet/contracts';
import { Arns } from '../shared/arns.js';
import { InvalidParameter } from '../shared/domain-errors.js';

/** PutMetricAlarm as a caller gives it (the DTO's fields); defaults are filled in by `metricAlarmSpec`. */
export interface PutMetricAlarmInput {
  readonly alarmName: string;
  readonly alarmDescription?: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: readonly MetricDimension[];
  readonly statistic: AlarmStatistic;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  readonly treatMissingData?: TreatMissingData;
  readonly actionsEnabled?: boolean;
  readonly tags?: readonly Tag[];
}

/** CloudWatch: an evaluation range of at most one day, or seven days for periods of an hour or more. */
const ONE_DAY_SECONDS = 86_400;
const SEVEN_DAYS_SECONDS = 7 * ONE_DAY_SECONDS;
const HOUR_SECONDS = 3_600;
// eslint-disable-next-line no-control-regex -- control characters are exactly what the rule refuses
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * The alarm as stored, with CloudWatch's defaults (datapointsToAlarm = evaluationPeriods, treatMissingData
 * `missing`, actions enabled), after CloudWatch's own rules beyond the DTO's field checks. Keys are written in one
 * order, and absent optional ones left out, so two specs of the same request are equal as JSON.
 */
export function metricAlarmSpec(scope: Scope, input: PutMetricAlarmInput): MetricAlarmSpec {
  const { alarmName, period, evaluationPeriods } = input;
  const datapointsToAlarm = input.datapointsToAlarm ?? evaluationPeriods;
  if (CONTROL_CHARACTER.test(alarmName)) throw new InvalidParameter('alarmName', 'alarmName: must not contain control characters');
  if (period !== 10 && period !== 30 && period % 60 !== 0)
    throw new InvalidParameter('period', `period: ${period} is not 10, 30 or a multiple of 60 seconds`);
  const longest = period >= HOUR_SECONDS ? SEVEN_DAYS_SECONDS : ONE_DAY_SECONDS;
  if (period * evaluationPeriods > longest)
    throw new InvalidParameter(
      'evaluationPeriods',
      `evaluationPeriods: ${evaluationPeriods} periods of ${period} seconds exceed ${longest} seconds, the longest evaluation range for that period`,
    );
  if (datapointsToAlarm > evaluationPeriods)
    throw new InvalidParameter('datapointsToAlarm', `datapointsToAlarm: ${datapointsToAlarm} is more than evaluationPeriods (${evaluationPeriods})`);
  return {
    alarmName,
    alarmArn: Arns.alarm(scope, alarmName),
    ...(input.alarmDescription === undefined ? {} : { alarmDescription: input.alarmDescription }),
    namespace: input.namespace,
    metricName: input.metricName,
    dimensions: (input.dimensions ?? []).map(({ name, value }) => ({ name, value })),
    statistic: input.statistic,
    period,
    evaluationPeriods,
    datapointsToAlarm,
    threshold: input.threshold,
    comparisonOperator: input.comparisonOperator,
    treatMissingData: input.treatMissingData ?? 'missing',
    actionsEnabled: input.actionsEnabled ?? true,
    tags: (input.tags ?? []).map(({ key, value }) => ({ key, value })),
  };
}

const ALARM_ARN = /^arn:aws:cloudwatch:([a-z0-9-]{1,32}):([0-9]{12}):alarm:(.+)$/s;

/** The scope and name of an alarm ARN (Arns.alarm), or null for anything else. */
export function parseAlarmArn(alarmArn: string): { readonly scope: Scope; readonly alarmName: string } | null {
  const match = ALARM_ARN.exec(alarmArn);
  return match ? { scope: { region: match[1], accountId: match[2] }, alarmName: match[3] } : null;
}
