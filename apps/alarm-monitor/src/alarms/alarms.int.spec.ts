import { Streams } from '@daemonfleet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlarmMonitorHarness, cpuAlarm, scope } from '../testing/alarm-monitor.harness.js';

/** PutMetricAlarm, SetAlarmState, DeleteAlarms and GetAlarmStates, as the gateway and the orchestrator send them. */
describe('alarm monitor: alarms', () => {
  let monitor: AlarmMonitorHarness;
  beforeAll(async () => {
    monitor = await AlarmMonitorHarness.start({ TIME_SCALE: '1' });
  });
  afterAll(() => monitor?.close());

  it('creates an alarm INSUFFICIENT_DATA, and answers its state; null for a name no alarm has here', async () => {
    const { result, position } = await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('created'));
    expect(result).toEqual({ alarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:created' });
    const events = await monitor.events(Streams.alarm(scope, 'created'));
    expect(events.map((event) => event.type)).toEqual(['MetricAlarmPut']);
    expect(position).toBe(events[0].globalPosition);
    expect(events[0].data).toMatchObject({ alarm: { datapointsToAlarm: 2, treatMissingData: 'missing', actionsEnabled: true } });

    expect(await monitor.send('alarms.query.GetAlarmStates', { alarmNames: ['created', 'unknown'] })).toEqual({
      alarms: [
        { alarmName: 'created', stateValue: 'INSUFFICIENT_DATA' },
        { alarmName: 'unknown', stateValue: null },
      ],
    });
    const elsewhere = await monitor.send('alarms.query.GetAlarmStates', { alarmNames: ['created'] }, { ...scope, region: 'eu-west-1' });
    expect(elsewhere.alarms).toEqual([{ alarmName: 'created', stateValue: null }]);
  });

  it('takes any character in a name, and replaces an alarm put again with another configuration', async () => {
    const name = 'CPU > 80% / daemon:monitor ✓';
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm(name));
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm(name));
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm(name, { threshold: 90 }));
    const events = await monitor.events(Streams.alarm(scope, name));
    expect(events.map((event) => [event.type, (event.data as { alarm: { threshold: number } }).alarm.threshold])).toEqual([
      ['MetricAlarmPut', 80],
      ['MetricAlarmPut', 90],
    ]);
  });

  it.each([
    ['datapointsToAlarm above evaluationPeriods', { datapointsToAlarm: 3 }, 'datapointsToAlarm'],
    ['a period CloudWatch does not take', { period: 45 }, 'period'],
    ['an unknown statistic', { statistic: 'Median' }, 'statistic'],
    ['a missing threshold', { threshold: undefined }, 'threshold'],
  ])('refuses %s, storing nothing', async (_what, change, field) => {
    const before = await monitor.store.headPosition();
    await expect(monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('refused', change as object))).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      details: { field },
    });
    expect(await monitor.store.headPosition()).toBe(before);
  });

  it('records a state set by hand, once, and refuses an alarm that does not exist', async () => {
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('manual'));
    await monitor.send('alarms.command.SetAlarmState', { alarmName: 'manual', stateValue: 'ALARM', stateReason: 'testing the rollback' });
    await monitor.send('alarms.command.SetAlarmState', { alarmName: 'manual', stateValue: 'ALARM', stateReason: 'again' });
    expect(await monitor.stateChanges('manual')).toEqual([
      expect.objectContaining({ previousState: 'INSUFFICIENT_DATA', state: 'ALARM', reason: 'testing the rollback', cause: 'SET_ALARM_STATE' }),
    ]);
    expect(await monitor.stateOf('manual')).toBe('ALARM');
    await expect(monitor.send('alarms.command.SetAlarmState', { alarmName: 'nobody', stateValue: 'OK', stateReason: 'x' })).rejects.toMatchObject({
      code: 'ALARM_NOT_FOUND',
      message: 'Alarm nobody not found',
    });
  });

  it('deletes alarms, none when one of them does not exist (CloudWatch)', async () => {
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('old-1'));
    await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('old-2'));
    const before = await monitor.store.headPosition();
    await expect(monitor.send('alarms.command.DeleteAlarms', { alarmNames: ['old-1', 'missing', 'old-2'] })).rejects.toMatchObject({
      code: 'ALARM_NOT_FOUND',
      message: 'Alarm missing not found',
    });
    expect(await monitor.store.headPosition()).toBe(before);

    const { result } = await monitor.send('alarms.command.DeleteAlarms', { alarmNames: ['old-1', 'old-2', 'old-1'] });
    expect(result).toEqual({ deleted: ['old-1', 'old-2'] });
    expect((await monitor.events(Streams.alarm(scope, 'old-1'))).map((event) => event.type)).toEqual(['MetricAlarmPut', 'MetricAlarmDeleted']);
    expect(await monitor.stateOf('old-2')).toBeNull();
    await expect(monitor.send('alarms.command.DeleteAlarms', { alarmNames: ['old-1'] })).rejects.toMatchObject({ code: 'ALARM_NOT_FOUND' });
  });
});
