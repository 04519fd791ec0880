import { Streams } from '@daemonfleet/contracts';
import { metricDataBatches } from '@daemonfleet/domain';
import { createMemoryEventStore } from '@daemonfleet/event-store';
import { eventually } from '@daemonfleet/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AlarmMonitorHarness, cpuAlarm, cpuData, scope } from '../testing/alarm-monitor.harness.js';

/**
 * Alarms evaluated on the data points they watch, in simulated time: at TIME_SCALE 600 a one-minute period lasts
 * 100 ms; at 60, one second. Data points are stamped a little before now, and their alarms' ranges hold a few
 * periods, so an evaluation some time later still sees them.
 */
describe('alarm monitor: evaluation', () => {
  let monitor: AlarmMonitorHarness;
  afterEach(() => monitor?.close());

  it('moves an alarm to ALARM when its data breach, with CloudWatch’s reason, and back to INSUFFICIENT_DATA when they stop', async () => {
    monitor = await AlarmMonitorHarness.start({ TIME_SCALE: '600' });
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('cpu-high', { evaluationPeriods: 5, datapointsToAlarm: 2 }));
    await monitor.send('alarms.command.PutMetricData', cpuData([[250, 91], [150, 95]]));

    const [alarm] = await eventually(() => expectChanges(monitor, 'cpu-high', 1), { what: 'the alarm to go to ALARM' });
    expect(alarm).toMatchObject({ previousState: 'INSUFFICIENT_DATA', state: 'ALARM', cause: 'EVALUATION' });
    expect(alarm.reason).toMatch(/^Threshold Crossed: 2 out of the last 5 datapoints \[95\.0 \(.+\), 91\.0 \(.+\)\] were greater than the threshold \(80\.0\) \(minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM transition\)\.$/);
    expect(JSON.parse(alarm.reasonData!)).toMatchObject({ statistic: 'Average', period: 60, recentDatapoints: [91, 95], threshold: 80 });

    const [, insufficient] = await eventually(() => expectChanges(monitor, 'cpu-high', 2), { what: 'the alarm to run out of data' });
    expect(insufficient).toMatchObject({ previousState: 'ALARM', state: 'INSUFFICIENT_DATA', reason: 'Insufficient Data: 5 datapoints were unknown.' });
  });

  it('goes OK on data that do not breach, on a metric named with its dimensions in any order', async () => {
    monitor = await AlarmMonitorHarness.start({ TIME_SCALE: '60' });
    // OK once no 1 of 3 periods can breach any more: the three are known and below.
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('cpu-ok', { evaluationPeriods: 3, datapointsToAlarm: 1 }));
    await monitor.send('alarms.command.PutMetricData', cpuData([[3_500, 20], [2_500, 20], [1_500, 20]]));
    await eventually(async () => expect(await monitor.stateOf('cpu-ok')).toBe('OK'), { what: 'the alarm to be OK' });
  });

  it('keeps a state set by hand until the next evaluation decides otherwise', async () => {
    monitor = await AlarmMonitorHarness.start({ TIME_SCALE: '600' });
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('overridden'));
    await monitor.send('alarms.command.SetAlarmState', { alarmName: 'overridden', stateValue: 'ALARM', stateReason: 'drill' });

    const [set, evaluated] = await eventually(() => expectChanges(monitor, 'overridden', 2), { what: 'an evaluation after the override' });
    expect(set).toMatchObject({ state: 'ALARM', cause: 'SET_ALARM_STATE' });
    expect(evaluated).toMatchObject({ previousState: 'ALARM', state: 'INSUFFICIENT_DATA', cause: 'EVALUATION' });
    expect(evaluated.changedAt).toBeGreaterThanOrEqual(set.changedAt);
  });

  it('evaluates after a restart on the alarms and data in the store', async () => {
    const first = createMemoryEventStore();
    monitor = await AlarmMonitorHarness.start({ TIME_SCALE: '60' }, first);
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('survivor', { evaluationPeriods: 5, datapointsToAlarm: 2 }));
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('late', { evaluationPeriods: 5, datapointsToAlarm: 2, dimensions: [{ name: 'ClusterName', value: 'other' }] }));
    await monitor.close();
    // Stored while no monitor runs, as the monitor stores them: only the next monitor's rebuild can see them.
    const store = createMemoryEventStore({ log: first.log });
    const now = Date.now();
    for (const { bucket, event } of metricDataBatches('AWS/ECS', cpuData([[2_500, 99], [1_500, 99]], now).metricData, now)) {
      const metadata = { eventId: `data-${bucket}`, occurredAt: new Date(now).toISOString(), schemaVersion: 1 };
      await store.appendToStream(Streams.metricData(scope, 'AWS/ECS', bucket), [{ ...event, metadata }], { expectedVersion: 'any' });
    }
    monitor = await AlarmMonitorHarness.start({ TIME_SCALE: '60' }, store);

    await eventually(async () => expect(await monitor.stateOf('survivor')).toBe('ALARM'), { what: 'the rebuilt alarm to evaluate the stored data' });
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('newcomer', { evaluationPeriods: 5, datapointsToAlarm: 2 }));
    await eventually(async () => expect(await monitor.stateOf('newcomer')).toBe('ALARM'), { what: 'a new alarm to evaluate data stored before it' });
    expect(await monitor.stateOf('late')).toBe('INSUFFICIENT_DATA');
  });

  it('changes state once with two replicas evaluating the same alarm: the stream version fences them', async () => {
    monitor = await AlarmMonitorHarness.start({ TIME_SCALE: '600' });
    await monitor.addReplica();
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('shared', { evaluationPeriods: 5, datapointsToAlarm: 2 }));
    await monitor.send('alarms.command.PutMetricData', cpuData([[250, 91]]));
    await monitor.send('alarms.command.PutMetricData', cpuData([[150, 95]]));

    const changes = await eventually(() => expectChanges(monitor, 'shared', 2), { what: 'the alarm to fire and run out of data' });
    expect(changes.map((change) => change.state)).toEqual(['ALARM', 'INSUFFICIENT_DATA']);
  });
});

/** Passes when the alarm has changed state at least `count` times: answers the changes. */
async function expectChanges(monitor: AlarmMonitorHarness, alarmName: string, count: number) {
  const changes = await monitor.stateChanges(alarmName);
  expect(changes.length).toBeGreaterThanOrEqual(count);
  return changes;
}
