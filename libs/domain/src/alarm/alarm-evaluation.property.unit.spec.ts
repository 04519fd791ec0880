import type { AlarmEvent, ComparisonOperator, MetricAlarmSpec } from '@daemonfleet/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { evaluateMetricAlarm } from './alarm-evaluation.js';
import { alarmDecider, type AlarmCommand } from './alarm.decider.js';
import type { MetricDatapoint } from './metric-series.js';

/** The evaluation's invariants over random alarms, data and times (simulated periods at TIME_SCALE 1 or 600). */
describe('alarm evaluation, over random alarms and data', () => {
  it('is a function of the data points as a set: their order changes nothing', () => {
    fc.assert(
      fc.property(arbitrarySpec, arbitraryTime, arbitraryPoints, fc.nat(), (spec, time, points, seed) => {
        const shuffled = [...points].sort((a, b) => ((a.timestamp * 31 + a.value + seed) % 7) - ((b.timestamp * 31 + b.value + seed) % 7));
        expect(evaluateMetricAlarm(spec, shuffled, time)).toEqual(evaluateMetricAlarm(spec, points, time));
      }),
    );
  });

  it('decides once: evaluating again at the same time, on the same data, decides nothing', () => {
    fc.assert(
      fc.property(arbitrarySpec, arbitraryTime, arbitraryPoints, (spec, time, points) => {
        const command: AlarmCommand = { type: 'EvaluateAlarm', data: { ...time, datapoints: points, dataPosition: 1 } };
        const history: AlarmEvent[] = [{ type: 'MetricAlarmPut', data: { alarm: spec, putAt: 0 } }];
        const first = alarmDecider.decide(command, fold(alarmDecider, history));
        expect(alarmDecider.decide(command, fold(alarmDecider, [...history, ...first]))).toEqual([]);
      }),
    );
  });

  it('never turns ALARM into OK with more breaching data points, nor OK into ALARM with more non-breaching ones', () => {
    fc.assert(
      fc.property(monotoneSpec, arbitraryTime, arbitraryPoints, fc.array(fc.tuple(arbitraryOffset, fc.nat(50)), { maxLength: 10 }), (spec, time, points, extra) => {
        const before = evaluateMetricAlarm(spec, points, time).state;
        const breaching = extra.map(([timestamp, excess]) => ({ timestamp, value: beyond(spec, excess, true) }));
        const notBreaching = extra.map(([timestamp, excess]) => ({ timestamp, value: beyond(spec, excess, false) }));
        if (before === 'ALARM') expect(evaluateMetricAlarm(spec, [...points, ...breaching], time).state).toBe('ALARM');
        if (before === 'OK') expect(evaluateMetricAlarm(spec, [...points, ...notBreaching], time).state).toBe('OK');
      }),
      { numRuns: 300 },
    );
  });

  it('evaluates exactly evaluationPeriods finished periods, newest first, the newest finished at most two periods before now', () => {
    fc.assert(
      fc.property(arbitrarySpec, arbitraryTime, arbitraryPoints, (spec, time, points) => {
        const { periods } = evaluateMetricAlarm(spec, points, time);
        const length = (spec.period * 1000) / time.timeScale;
        expect(periods).toHaveLength(spec.evaluationPeriods);
        periods.forEach((period, age) => expect(period.start).toBeCloseTo(periods[0].start - age * length, 3));
        expect(periods[0].start + length).toBeLessThanOrEqual(time.now + 1e-6);
        expect(periods[0].start + 3 * length).toBeGreaterThan(time.now);
      }),
    );
  });
});

// Fixtures last. Times are offsets from T0 in wall-clock ms; ten periods of data, evaluated in the eleventh.
const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const OPERATORS: ComparisonOperator[] = ['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];

const specOf = (statistics: MetricAlarmSpec['statistic'][]) =>
  fc
    .record({
      statistic: fc.constantFrom(...statistics),
      comparisonOperator: fc.constantFrom(...OPERATORS),
      threshold: fc.integer({ min: -50, max: 50 }),
      evaluationPeriods: fc.integer({ min: 1, max: 5 }),
      datapointsToAlarm: fc.integer({ min: 1, max: 5 }),
      treatMissingData: fc.constantFrom('breaching', 'notBreaching', 'ignore', 'missing'),
    } as const)
    .map(
      ({ datapointsToAlarm, evaluationPeriods, ...rest }): MetricAlarmSpec => ({
        alarmName: 'random',
        alarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:random',
        namespace: 'Test',
        metricName: 'Value',
        dimensions: [],
        period: 60,
        evaluationPeriods,
        datapointsToAlarm: Math.min(datapointsToAlarm, evaluationPeriods),
        actionsEnabled: true,
        tags: [],
        ...rest,
      }),
    );

const arbitrarySpec = specOf(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum']);
/** Average, Minimum and Maximum of values all beyond the threshold stay beyond it; Sum and SampleCount need not. */
const monotoneSpec = specOf(['Average', 'Minimum', 'Maximum']);
const arbitraryTime = fc.record({ timeScale: fc.constantFrom(1, 600), fraction: fc.double({ min: 0, max: 0.999, noNaN: true }) }).map(({ timeScale, fraction }) => ({
  timeScale,
  now: T0 + (10 + fraction) * (60_000 / timeScale),
}));
/** Anywhere in the ten periods before now at TIME_SCALE 600, or in the same span at TIME_SCALE 1 (its latest minutes). */
const arbitraryOffset = fc.integer({ min: 0, max: 1_099 }).map((offset) => T0 + offset);
const arbitraryPoints: fc.Arbitrary<MetricDatapoint[]> = fc.array(
  fc.record({ timestamp: fc.oneof(arbitraryOffset, fc.integer({ min: 0, max: 659_999 }).map((offset) => T0 + offset)), value: fc.integer({ min: -100, max: 100 }) }),
  { maxLength: 30 },
);

/** A value strictly beyond the threshold on the breaching side (or strictly on the other side). */
function beyond(spec: MetricAlarmSpec, excess: number, breaching: boolean): number {
  const above = spec.comparisonOperator.startsWith('GreaterThan') === breaching;
  return above ? spec.threshold + 1 + excess : spec.threshold - 1 - excess;
}
