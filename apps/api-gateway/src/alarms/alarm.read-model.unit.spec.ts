import { Streams, type AlarmEvent, type MetricAlarmSpec } from '@daemonfleet/contracts';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { describe, expect, it } from 'vitest';
import { AlarmReadModel, HISTORY_ITEMS_KEPT } from './alarm.read-model.js';

describe('AlarmReadModel', () => {
  it('folds only alarm streams', () => {
    const model = new AlarmReadModel();
    expect(model.apply(recorded(1, put()))).toBe(true);
    expect(model.apply({ ...recorded(2, put()), streamId: 'cluster-000000000000.us-east-1.prod' })).toBe(false);
    expect([...model.alarms()].map((alarm) => alarm.spec.alarmName)).toEqual(['cpu']);
  });

  it('records an update with the fields it changed, as they were', () => {
    const model = new AlarmReadModel();
    model.apply(recorded(1, put()));
    model.apply(recorded(2, put({ threshold: 90, evaluationPeriods: 3 })));
    const [, updated] = model.history(STREAM)!;
    expect(updated.historySummary).toBe('Alarm "cpu" updated');
    expect(JSON.parse(updated.historyData)).toMatchObject({ type: 'Update', updatedAlarm: { threshold: 90 }, originalUpdatedFields: { threshold: 80, evaluationPeriods: 2 } });
  });

  it('tells every alarm’s history with its stream, a deleted alarm’s included', () => {
    const model = new AlarmReadModel();
    const other = Streams.alarm(scope, 'disk');
    model.apply(recorded(1, put()));
    model.apply({ ...recorded(2, put({ alarmName: 'disk' })), streamId: other });
    model.apply({ ...recorded(3, { type: 'MetricAlarmDeleted', data: { alarmName: 'disk', deletedAt: 1 } }), streamId: other });
    expect([...model.histories()].map(([streamId, history]) => [streamId, history.map((item) => item.historySummary)])).toEqual([
      [STREAM, ['Alarm "cpu" created']],
      [other, ['Alarm "disk" created', 'Alarm "disk" deleted']],
    ]);
  });

  it(`keeps the latest ${HISTORY_ITEMS_KEPT} items of an alarm`, () => {
    const model = new AlarmReadModel();
    model.apply(recorded(1, put()));
    for (let n = 0; n < HISTORY_ITEMS_KEPT + 4; n++) {
      const [previousState, state] = n % 2 === 0 ? (['INSUFFICIENT_DATA', 'ALARM'] as const) : (['ALARM', 'INSUFFICIENT_DATA'] as const);
      model.apply(recorded(n + 2, { type: 'AlarmStateChanged', data: { alarmName: 'cpu', alarmArn: ARN, previousState, state, reason: `change ${n}`, cause: 'SET_ALARM_STATE', changedAt: n } }));
    }
    const history = model.history(STREAM)!;
    expect(history).toHaveLength(HISTORY_ITEMS_KEPT);
    expect(history[0].position).toBe(6);
    expect(model.alarm(STREAM)?.stateReason).toBe(`change ${HISTORY_ITEMS_KEPT + 3}`);
  });
});

// Fixtures last.
const scope = { accountId: '000000000000', region: 'us-east-1' };
const STREAM = Streams.alarm(scope, 'cpu');
const ARN = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu';

function put(change: Partial<MetricAlarmSpec> = {}): AlarmEvent {
  const alarm: MetricAlarmSpec = {
    alarmName: 'cpu',
    alarmArn: ARN,
    namespace: 'AWS/ECS',
    metricName: 'CPUUtilization',
    dimensions: [],
    statistic: 'Average',
    period: 60,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    threshold: 80,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'missing',
    actionsEnabled: true,
    tags: [],
    ...change,
  };
  return { type: 'MetricAlarmPut', data: { alarm, putAt: 0 } };
}

function recorded(position: number, event: AlarmEvent): RecordedEvent {
  return { ...event, streamId: STREAM, streamVersion: position, globalPosition: position, metadata: { eventId: `e${position}`, occurredAt: new Date(0).toISOString(), schemaVersion: 1 } };
}
