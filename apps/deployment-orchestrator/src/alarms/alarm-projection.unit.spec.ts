import { Streams, type AlarmEvent, type AlarmState } from '@daemonfleet/contracts';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { describe, expect, it } from 'vitest';
import { AlarmProjection } from './alarm-projection.js';

describe('AlarmProjection', () => {
  it('shows the state of each named alarm, and nothing for an alarm it never saw', () => {
    const projection = new AlarmProjection();
    apply(projection, scope, put('cpu-high'));
    apply(projection, scope, changed('errors', 'OK', 'ALARM'));
    expect(projection.view(scope, ['cpu-high', 'errors', 'unknown'])).toEqual({
      'cpu-high': { state: 'INSUFFICIENT_DATA', timesInAlarm: 0 },
      errors: { state: 'ALARM', timesInAlarm: 1 },
    });
  });

  it('counts the moves into ALARM, not the changes that stay in it', () => {
    const projection = new AlarmProjection();
    for (const [from, to] of [['INSUFFICIENT_DATA', 'ALARM'], ['ALARM', 'ALARM'], ['ALARM', 'OK'], ['OK', 'ALARM']] as const) apply(projection, scope, changed('cpu-high', from, to));
    expect(projection.view(scope, ['cpu-high'])).toEqual({ 'cpu-high': { state: 'ALARM', timesInAlarm: 2 } });
  });

  it('keeps names apart per account and region', () => {
    const projection = new AlarmProjection();
    apply(projection, { accountId: '210987654321', region: 'us-east-1' }, changed('cpu-high', 'OK', 'ALARM'));
    expect(projection.view(scope, ['cpu-high'])).toEqual({});
  });

  it('drops a deleted alarm, and keeps its count should it be put again', () => {
    const projection = new AlarmProjection();
    apply(projection, scope, changed('cpu-high', 'OK', 'ALARM'));
    apply(projection, scope, { type: 'MetricAlarmDeleted', data: { alarmName: 'cpu-high', deletedAt: 0 } });
    expect(projection.view(scope, ['cpu-high'])).toEqual({});
    apply(projection, scope, put('cpu-high'));
    apply(projection, scope, changed('cpu-high', 'INSUFFICIENT_DATA', 'ALARM'));
    expect(projection.view(scope, ['cpu-high'])).toEqual({ 'cpu-high': { state: 'ALARM', timesInAlarm: 2 } });
  });
});

// Fixtures last.
const scope = { accountId: '123456789012', region: 'us-east-1' };
let position = 0;

function apply(projection: AlarmProjection, inScope: typeof scope, event: AlarmEvent): void {
  const name = event.type === 'MetricAlarmPut' ? event.data.alarm.alarmName : event.data.alarmName;
  projection.apply({
    ...event,
    streamId: Streams.alarm(inScope, name),
    streamVersion: 0,
    globalPosition: ++position,
    metadata: { eventId: String(position), occurredAt: '', schemaVersion: 1 },
  } as RecordedEvent);
}

function changed(alarmName: string, previousState: AlarmState, state: AlarmState): AlarmEvent {
  return { type: 'AlarmStateChanged', data: { alarmName, alarmArn: `arn:alarm:${alarmName}`, previousState, state, reason: 'test', cause: 'SET_ALARM_STATE', changedAt: 0 } };
}

function put(alarmName: string): AlarmEvent {
  return {
    type: 'MetricAlarmPut',
    data: {
      alarm: {
        alarmName,
        alarmArn: `arn:alarm:${alarmName}`,
        namespace: 'AWS/ECS',
        metricName: 'CPUUtilization',
        dimensions: [],
        statistic: 'Average',
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 80,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'missing',
        actionsEnabled: true,
        tags: [],
      },
      putAt: 0,
    },
  };
}
