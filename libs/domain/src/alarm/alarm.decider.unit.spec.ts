import type { AlarmEvent, AlarmState, MetricAlarmSpec } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { AlarmNotFound, InvalidParameter } from '../shared/domain-errors.js';
import type { PutMetricAlarmInput } from './alarm-spec.js';
import { alarmDecider, type AlarmCommand } from './alarm.decider.js';
import { INITIAL_ALARM_REASON } from './alarm.state.js';
import type { MetricDatapoint } from './metric-series.js';

const given = DeciderSpecification.for(alarmDecider);

describe('PutMetricAlarm', () => {
  it('creates the alarm with CloudWatch’s defaults; it starts INSUFFICIENT_DATA', () => {
    given([]).when(put()).then([put$()]);
    expect(fold(alarmDecider, [put$()])).toMatchObject({ stateValue: 'INSUFFICIENT_DATA', stateReason: INITIAL_ALARM_REASON, stateUpdatedAt: T0 });
  });

  it('changes nothing when the same configuration is put again', () => given([put$()]).when(put({}, T0 + 5_000)).thenNothingHappened());

  it('replaces the configuration and keeps the state (CloudWatch)', () => {
    given([put$(), changed('INSUFFICIENT_DATA', 'ALARM')]).when(put({ threshold: 90 }, T0 + 5_000)).then([put$({ threshold: 90 }, T0 + 5_000)]);
    expect(fold(alarmDecider, [put$(), changed('INSUFFICIENT_DATA', 'ALARM'), put$({ threshold: 90 }, T0 + 5_000)])).toMatchObject({
      stateValue: 'ALARM',
      configurationUpdatedAt: T0 + 5_000,
      spec: { threshold: 90 },
    });
  });

  it('keeps an optional description only when given, and copies dimensions and tags', () =>
    given([])
      .when(put({ alarmDescription: 'cpu', treatMissingData: 'breaching', actionsEnabled: false, datapointsToAlarm: 2, tags: [{ key: 'team', value: 'a' }] }))
      .then([put$({ alarmDescription: 'cpu', treatMissingData: 'breaching', actionsEnabled: false, datapointsToAlarm: 2, tags: [{ key: 'team', value: 'a' }] })]));

  it('starts a new alarm, INSUFFICIENT_DATA again, when the name is put after a deletion', () => {
    given([put$(), changed('INSUFFICIENT_DATA', 'ALARM'), deleted()]).when(put()).then([put$()]);
    expect(fold(alarmDecider, [put$(), changed('INSUFFICIENT_DATA', 'ALARM'), deleted(), put$()])).toMatchObject({ stateValue: 'INSUFFICIENT_DATA' });
  });

  it.each([
    ['datapointsToAlarm above evaluationPeriods', { evaluationPeriods: 3, datapointsToAlarm: 4 }, 'datapointsToAlarm'],
    ['a period that is not 10, 30 or a multiple of 60', { period: 45 }, 'period'],
    ['more than a day of evaluation range for periods under an hour', { period: 60, evaluationPeriods: 1_441 }, 'evaluationPeriods'],
    ['more than seven days of evaluation range for hourly periods', { period: 3_600, evaluationPeriods: 169 }, 'evaluationPeriods'],
    ['a control character in the name', { alarmName: 'cpu\nhigh' }, 'alarmName'],
  ])('refuses %s', (_what, change, field) =>
    given([]).when(put(change)).thenThrows(InvalidParameter, (error) => expect(error.details).toEqual({ field })),
  );

  it.each([
    [{ period: 10, evaluationPeriods: 8_640 }],
    [{ period: 30 }],
    [{ period: 3_600, evaluationPeriods: 168 }],
  ])('accepts %j', (change) => given([]).when(put(change)).then([put$(change)]));
});

describe('DeleteAlarm', () => {
  it('deletes an alarm', () => given([put$()]).when(remove()).then([deleted()]));
  it('refuses an alarm that does not exist, or no longer does', () => {
    given([]).when(remove()).thenThrows(AlarmNotFound, (error) => expect(error.message).toBe('Alarm cpu-high not found'));
    given([put$(), deleted()]).when(remove()).thenThrows(AlarmNotFound);
  });
});

describe('SetAlarmState', () => {
  it('records the state a user sets, with the user’s reason', () =>
    given([put$()]).when(setState('ALARM')).then([changed('INSUFFICIENT_DATA', 'ALARM', { cause: 'SET_ALARM_STATE', reason: 'testing', changedAt: T0 + 1_000 })]));

  it('records nothing when the alarm is already in that state', () => given([put$()]).when(setState('INSUFFICIENT_DATA')).thenNothingHappened());

  it('refuses an alarm that does not exist', () => given([]).when(setState('ALARM')).thenThrows(AlarmNotFound));

  it('keeps the state until an evaluation decides otherwise', () => {
    const overridden = [put$(), changed('INSUFFICIENT_DATA', 'ALARM', { cause: 'SET_ALARM_STATE', reason: 'testing', changedAt: T0 + 1_000 })];
    given(overridden).when(evaluate(at(4), [point(1, 95), point(2, 95), point(3, 95)])).thenNothingHappened();
    expect(decided(overridden, evaluate(at(4), [point(1, 10), point(2, 10), point(3, 10)]))).toEqual([
        changed('ALARM', 'OK', {
          reason:
            'Threshold Crossed: 3 datapoints [10.0 (27/11/26 10:03:00), 10.0 (27/11/26 10:02:00), 10.0 (27/11/26 10:01:00)] were not greater than the threshold (80.0) (minimum 1 datapoint for ALARM -> OK transition).',
          changedAt: at(4),
          reasonData: expect.any(String),
          dataPosition: 7,
        }),
    ]);
  });
});

describe('EvaluateAlarm', () => {
  it('moves the alarm to ALARM with CloudWatch’s reason, newest data point first, and the data evaluated', () => {
    const events = decided([put$({ datapointsToAlarm: 2 })], evaluate(at(3, 10_000), [point(0, 10), point(1, 85), point(2, 91)]));
    expect(events).toEqual([
      changed('INSUFFICIENT_DATA', 'ALARM', {
        reason:
          'Threshold Crossed: 2 out of the last 3 datapoints [91.0 (27/11/26 10:02:00), 85.0 (27/11/26 10:01:00)] were greater than the threshold (80.0) (minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM transition).',
        changedAt: at(3, 10_000),
        reasonData: expect.any(String),
        dataPosition: 7,
      }),
    ]);
    const data = JSON.parse((events[0] as Extract<AlarmEvent, { type: 'AlarmStateChanged' }>).data.reasonData!);
    expect(data).toEqual({
      version: '1.0',
      queryDate: '2026-11-27T10:03:10.000+0000',
      startDate: '2026-11-27T10:00:00.000+0000',
      statistic: 'Average',
      period: 60,
      recentDatapoints: [10, 85, 91],
      threshold: 80,
      evaluatedDatapoints: [
        { timestamp: '2026-11-27T10:02:00.000+0000', sampleCount: 1, value: 91 },
        { timestamp: '2026-11-27T10:01:00.000+0000', sampleCount: 1, value: 85 },
        { timestamp: '2026-11-27T10:00:00.000+0000', sampleCount: 1, value: 10 },
      ],
    });
  });

  it('says how missing data counted', () => {
    expect(reasonOf({ treatMissingData: 'breaching' }, [])).toBe(
      'Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching].',
    );
    expect(reasonOf({ treatMissingData: 'notBreaching', datapointsToAlarm: 2 }, [point(2, 10)])).toBe(
      'Threshold Crossed: 1 datapoint [10.0 (27/11/26 10:02:00)] was not greater than the threshold (80.0) and 2 missing datapoints were treated as [NonBreaching] (minimum 2 datapoints for INSUFFICIENT_DATA -> OK transition).',
    );
    expect(reasonOf({ treatMissingData: 'breaching', datapointsToAlarm: 2, comparisonOperator: 'GreaterThanOrEqualToThreshold' }, [point(2, 80.5)])).toBe(
      'Threshold Crossed: 3 out of the last 3 datapoints [80.5 (27/11/26 10:02:00)] was greater than or equal to the threshold (80.0) and 2 missing datapoints were treated as [Breaching] (minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM transition).',
    );
  });

  it('goes back to INSUFFICIENT_DATA when no data is left in the range', () =>
    expect(decided([put$(), changed('INSUFFICIENT_DATA', 'OK')], evaluate(at(9), [point(1, 10)]))).toEqual([
      changed('OK', 'INSUFFICIENT_DATA', { reason: 'Insufficient Data: 3 datapoints were unknown.', changedAt: at(9), reasonData: expect.any(String), dataPosition: 7 }),
    ]));

  it('decides nothing when the state stays, for an alarm gone, or for an evaluation overtaken by a newer one', () => {
    given([put$()]).when(evaluate(at(3), [])).thenNothingHappened();
    given([put$(), deleted()]).when(evaluate(at(3), [point(2, 99)])).thenNothingHappened();
    given([]).when(evaluate(at(3), [point(2, 99)])).thenNothingHappened();
    const recent = changed('INSUFFICIENT_DATA', 'OK', { changedAt: at(3), dataPosition: 9 });
    // Made before the last change, or on less data than it: a lagging replica must not undo it.
    given([put$(), recent]).when(evaluate(at(2, 59_000), [point(1, 99)])).thenNothingHappened();
    given([put$(), recent]).when({ ...evaluate(at(4), [point(1, 99), point(2, 99), point(3, 99)]), data: { ...evaluate(at(4), []).data, dataPosition: 8 } }).thenNothingHappened();
  });

  it('evaluates again, to the same decision, only what changed: a second evaluation at the same time decides nothing', () => {
    const command = evaluate(at(3), [point(2, 99)]);
    const first = decided([put$({ datapointsToAlarm: 1 })], command);
    expect(first.map((event) => event.type)).toEqual(['AlarmStateChanged']);
    given([put$({ datapointsToAlarm: 1 }), ...first]).when(command).thenNothingHappened();
  });
});

// Fixtures last. Periods of a simulated minute at TIME_SCALE 1, from 27/11/2026 10:00:00 UTC.
const scope = { accountId: '123456789012', region: 'eu-west-3' };
const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const MINUTE = 60_000;
const at = (minute: number, extraMs = 0) => T0 + minute * MINUTE + extraMs;
const point = (minute: number, value: number): MetricDatapoint => ({ timestamp: at(minute, 1_000), value });
const ARN = 'arn:aws:cloudwatch:eu-west-3:123456789012:alarm:cpu-high';

const input = (change: Partial<PutMetricAlarmInput> = {}): PutMetricAlarmInput => ({
  alarmName: 'cpu-high',
  namespace: 'AWS/ECS',
  metricName: 'CPUUtilization',
  dimensions: [{ name: 'ServiceName', value: 'daemon:monitor' }, { name: 'ClusterName', value: 'prod' }],
  statistic: 'Average',
  period: 60,
  evaluationPeriods: 3,
  threshold: 80,
  comparisonOperator: 'GreaterThanThreshold',
  ...change,
});

const spec = (change: Partial<PutMetricAlarmInput> = {}): MetricAlarmSpec => {
  const { alarmName, alarmDescription, namespace, metricName, dimensions, statistic, period, evaluationPeriods, datapointsToAlarm, threshold, comparisonOperator, treatMissingData, actionsEnabled, tags } = input(change);
  return {
    alarmName,
    alarmArn: `arn:aws:cloudwatch:eu-west-3:123456789012:alarm:${alarmName}`,
    ...(alarmDescription === undefined ? {} : { alarmDescription }),
    namespace,
    metricName,
    dimensions: [...dimensions!],
    statistic,
    period,
    evaluationPeriods,
    datapointsToAlarm: datapointsToAlarm ?? evaluationPeriods,
    threshold,
    comparisonOperator,
    treatMissingData: treatMissingData ?? 'missing',
    actionsEnabled: actionsEnabled ?? true,
    tags: [...(tags ?? [])],
  };
};

const put = (change: Partial<PutMetricAlarmInput> = {}, now = T0): AlarmCommand => ({ type: 'PutMetricAlarm', data: { scope, alarm: input(change), now } });
const put$ = (change: Partial<PutMetricAlarmInput> = {}, putAt = T0): AlarmEvent => ({ type: 'MetricAlarmPut', data: { alarm: spec(change), putAt } });
const remove = (): AlarmCommand => ({ type: 'DeleteAlarm', data: { alarmName: 'cpu-high', now: T0 + 2_000 } });
const deleted = (): AlarmEvent => ({ type: 'MetricAlarmDeleted', data: { alarmName: 'cpu-high', deletedAt: T0 + 2_000 } });
const setState = (stateValue: AlarmState): AlarmCommand => ({ type: 'SetAlarmState', data: { alarmName: 'cpu-high', stateValue, stateReason: 'testing', now: T0 + 1_000 } });
const evaluate = (now: number, datapoints: MetricDatapoint[]): Extract<AlarmCommand, { type: 'EvaluateAlarm' }> => ({
  type: 'EvaluateAlarm',
  data: { now, timeScale: 1, datapoints, dataPosition: 7 },
});
const changed = (previousState: AlarmState, state: AlarmState, change: Record<string, unknown> = {}): AlarmEvent => ({
  type: 'AlarmStateChanged',
  data: { alarmName: 'cpu-high', alarmArn: ARN, previousState, state, reason: 'evaluated', cause: 'EVALUATION', changedAt: T0 + 500, ...change },
});

/** The events decided, for assertions with matchers (the specification compares strictly). */
const decided = (events: AlarmEvent[], command: AlarmCommand) => alarmDecider.decide(command, fold(alarmDecider, events));

function reasonOf(change: Partial<PutMetricAlarmInput>, datapoints: MetricDatapoint[]): string {
  const [event] = decided([put$(change)], evaluate(at(3), datapoints));
  return (event as Extract<AlarmEvent, { type: 'AlarmStateChanged' }>).data.reason;
}
