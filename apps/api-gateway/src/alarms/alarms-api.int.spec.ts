import { Streams, type AlarmEvent, type MessageMeta } from '@daemonfleet/contracts';
import { alarmDecider, DomainError, fold, type AlarmCommand } from '@daemonfleet/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Refusal, SCOPE, startAlarmsGateway, type AlarmsGatewayHarness } from './testing/alarms-gateway.harness.js';

/**
 * The alarm API over HTTP, with a fake alarm monitor that decides with the real alarm decider and appends what it
 * decides, at fixed times: every command reaches it with what the path and body said, and every answer reads the
 * alarms back from the events.
 */
describe('REST API of alarms and metrics (gateway alone)', () => {
  let gateway: AlarmsGatewayHarness;
  let now = T0;
  beforeAll(async () => {
    gateway = await startAlarmsGateway();
    const decide = (alarmName: string, command: AlarmCommand) => async () => {
      const streamId = Streams.alarm(SCOPE, alarmName);
      const history = (await gateway.store.readStream(streamId)).map((event) => ({ type: event.type, data: event.data }) as AlarmEvent);
      const events = alarmDecider.decide(command, fold(alarmDecider, history));
      if (events.length > 0) await gateway.append(streamId, events, now);
    };
    const run = async (steps: (() => Promise<void>)[], result: unknown) => {
      try {
        for (const step of steps) await step();
        return result;
      } catch (error) {
        if (error instanceof DomainError) return new Refusal({ code: error.code, message: error.message, details: error.details });
        throw error;
      }
    };
    gateway.answer('alarms.command.PutMetricAlarm', (data, meta: MessageMeta) =>
      run([decide(String(data.alarmName), { type: 'PutMetricAlarm', data: { scope: meta.scope, alarm: data as never, now } })], { alarmArn: arn(String(data.alarmName)) }),
    );
    gateway.answer('alarms.command.SetAlarmState', (data) =>
      run([decide(String(data.alarmName), { type: 'SetAlarmState', data: { ...(data as { alarmName: string; stateValue: 'OK'; stateReason: string }), now } })], {
        alarmArn: arn(String(data.alarmName)),
      }),
    );
    gateway.answer('alarms.command.DeleteAlarms', async (data) => {
      const names = data.alarmNames as string[];
      const missing = [];
      for (const name of names) if (!(await gateway.store.readStream(Streams.alarm(SCOPE, name))).some((event) => event.type === 'MetricAlarmPut')) missing.push(name);
      if (missing.length > 0) return new Refusal({ code: 'ALARM_NOT_FOUND', message: `Alarm ${missing[0]} not found` });
      return run(names.map((alarmName) => decide(alarmName, { type: 'DeleteAlarm', data: { alarmName, now } })), { deleted: names });
    });
    gateway.answer('alarms.command.PutMetricData', (data) => ({ accepted: (data.metricData as unknown[]).length }));
  });
  afterAll(() => gateway.close());

  describe('PutMetricAlarm and DescribeAlarms', () => {
    it('creates an alarm named in the path and answers it as CloudWatch’s MetricAlarm, camelCase, epoch seconds', async () => {
      const response = await gateway.request('PUT', '/v1/alarms/cpu-high', CPU_ALARM);
      expect(response).toEqual({ status: 200, body: { metricAlarm: expectedAlarm('cpu-high') } });
      expect(gateway.sent.at(-1)).toMatchObject({ subject: 'alarms.command.PutMetricAlarm', data: { ...CPU_ALARM, alarmName: 'cpu-high' }, meta: { scope: SCOPE } });
      expect(await gateway.request('GET', '/v1/alarms/cpu-high')).toEqual(response);
    });

    it('takes any character in a name, percent-encoded in the path', async () => {
      const name = 'CPU > 80% / daemon:monitor';
      const { status, body } = await gateway.request('PUT', `/v1/alarms/${encodeURIComponent(name)}`, { ...CPU_ALARM, threshold: 90 });
      expect(status).toBe(200);
      expect(body.metricAlarm).toMatchObject({ alarmName: name, alarmArn: arn(name), threshold: 90 });
      expect((await gateway.request('GET', `/v1/alarms/${encodeURIComponent(name)}`)).body.metricAlarm.alarmName).toBe(name);
    });

    it('replaces an alarm’s configuration and keeps its state', async () => {
      await gateway.request('PUT', '/v1/alarms/replaced', CPU_ALARM);
      await gateway.request('PUT', '/v1/alarms/replaced/state', { stateValue: 'ALARM', stateReason: 'drill' });
      now = T0 + 60_000;
      const { body } = await gateway.request('PUT', '/v1/alarms/replaced', { ...CPU_ALARM, evaluationPeriods: 5, datapointsToAlarm: 3 });
      now = T0;
      expect(body.metricAlarm).toMatchObject({ evaluationPeriods: 5, datapointsToAlarm: 3, stateValue: 'ALARM', alarmConfigurationUpdatedTimestamp: (T0 + 60_000) / 1000 });
    });

    it('lists the alarms in name order, by names, prefix and state, a page at a time', async () => {
      for (const name of ['web-1', 'web-2', 'web-3']) await gateway.request('PUT', `/v1/alarms/${name}`, CPU_ALARM);
      await gateway.request('PUT', '/v1/alarms/web-2/state', { stateValue: 'OK', stateReason: 'fine' });
      const names = async (query: string) => ((await gateway.request('GET', `/v1/alarms${query}`)).body.metricAlarms as { alarmName: string }[]).map((alarm) => alarm.alarmName);

      expect(await names('?alarmNamePrefix=web-')).toEqual(['web-1', 'web-2', 'web-3']);
      expect(await names('?alarmNames=web-3&alarmNames=web-1&alarmNames=nothing')).toEqual(['web-1', 'web-3']);
      expect(await names('?alarmNames=web-2')).toEqual(['web-2']);
      expect(await names('?alarmNamePrefix=web-&stateValue=OK')).toEqual(['web-2']);
      const first = (await gateway.request('GET', '/v1/alarms?alarmNamePrefix=web-&maxRecords=2')).body;
      expect(first.metricAlarms.map((alarm: { alarmName: string }) => alarm.alarmName)).toEqual(['web-1', 'web-2']);
      const second = (await gateway.request('GET', `/v1/alarms?alarmNamePrefix=web-&maxRecords=2&nextToken=${first.nextToken}`)).body;
      expect(second).toEqual({ metricAlarms: [expect.objectContaining({ alarmName: 'web-3' })] });
    });

    it('answers 400 with the ResourceNotFound the alarm monitor found, and 404 for a name in the path no alarm has', async () => {
      expect(await gateway.request('GET', '/v1/alarms/nothing')).toEqual({ status: 404, body: { __type: 'ResourceNotFound', message: 'Alarm nothing not found' } });
      expect(await gateway.request('GET', '/v1/alarms/nothing/history')).toEqual({ status: 404, body: { __type: 'ResourceNotFound', message: 'Alarm nothing not found' } });
    });
  });

  describe('SetAlarmState and DescribeAlarmHistory', () => {
    it('sets the state by hand and answers the alarm', async () => {
      await gateway.request('PUT', '/v1/alarms/manual', CPU_ALARM);
      now = T0 + 1_000;
      const response = await gateway.request('PUT', '/v1/alarms/manual/state', { stateValue: 'ALARM', stateReason: 'testing the rollback' });
      now = T0;
      expect(response.status).toBe(200);
      expect(response.body.metricAlarm).toMatchObject({ stateValue: 'ALARM', stateReason: 'testing the rollback', stateUpdatedTimestamp: (T0 + 1_000) / 1000 });
      expect(gateway.sent.at(-1)).toMatchObject({ subject: 'alarms.command.SetAlarmState', data: { alarmName: 'manual', stateValue: 'ALARM', stateReason: 'testing the rollback' } });
    });

    it('answers 404 ResourceNotFound for the state of an alarm that does not exist', async () => {
      expect(await gateway.request('PUT', '/v1/alarms/ghost/state', { stateValue: 'OK', stateReason: 'x' })).toEqual({
        status: 404,
        body: { __type: 'ResourceNotFound', message: 'Alarm ghost not found' },
      });
    });

    it('tells the history newest first, by type and time, a page at a time, and keeps it after the alarm is deleted', async () => {
      await gateway.request('PUT', '/v1/alarms/storied', CPU_ALARM);
      now = T0 + 1_000;
      await gateway.request('PUT', '/v1/alarms/storied/state', { stateValue: 'ALARM', stateReason: 'first' });
      now = T0 + 2_000;
      await gateway.request('PUT', '/v1/alarms/storied/state', { stateValue: 'OK', stateReason: 'second' });
      now = T0 + 3_000;
      await gateway.request('DELETE', '/v1/alarms/storied');
      now = T0;

      const { status, body } = await gateway.request('GET', '/v1/alarms/storied/history');
      expect(status).toBe(200);
      expect(body.alarmHistoryItems.map((item: { historySummary: string; timestamp: number }) => [item.timestamp, item.historySummary])).toEqual([
        [(T0 + 3_000) / 1000, 'Alarm "storied" deleted'],
        [(T0 + 2_000) / 1000, 'Alarm updated from ALARM to OK'],
        [(T0 + 1_000) / 1000, 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
        [T0 / 1000, 'Alarm "storied" created'],
      ]);
      expect(body.alarmHistoryItems[1]).toMatchObject({ alarmName: 'storied', alarmType: 'MetricAlarm', historyItemType: 'StateUpdate' });
      expect(JSON.parse(body.alarmHistoryItems[1].historyData)).toEqual({
        version: '1.0',
        oldState: { stateValue: 'ALARM', stateReason: 'first' },
        newState: { stateValue: 'OK', stateReason: 'second' },
      });

      const summaries = async (query: string) =>
        ((await gateway.request('GET', `/v1/alarms/storied/history${query}`)).body.alarmHistoryItems as { historySummary: string }[]).map((item) => item.historySummary);
      expect(await summaries('?historyItemType=StateUpdate&scanBy=TimestampAscending')).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM', 'Alarm updated from ALARM to OK']);
      expect(await summaries(`?startDate=${(T0 + 1_000) / 1000}&endDate=${(T0 + 2_000) / 1000}`)).toEqual(['Alarm updated from ALARM to OK', 'Alarm updated from INSUFFICIENT_DATA to ALARM']);
      const first = (await gateway.request('GET', '/v1/alarms/storied/history?maxRecords=3')).body;
      expect(first.alarmHistoryItems).toHaveLength(3);
      const second = (await gateway.request('GET', `/v1/alarms/storied/history?maxRecords=3&nextToken=${first.nextToken}`)).body;
      expect(second.alarmHistoryItems.map((item: { historySummary: string }) => item.historySummary)).toEqual(['Alarm "storied" created']);
      expect(second.nextToken).toBeUndefined();
    });
  });

  describe('DeleteAlarms', () => {
    it('deletes an alarm named in the path: it is gone; 404 for one that does not exist', async () => {
      await gateway.request('PUT', '/v1/alarms/doomed', CPU_ALARM);
      expect(await gateway.request('DELETE', '/v1/alarms/doomed')).toEqual({ status: 200, body: {} });
      expect((await gateway.request('GET', '/v1/alarms/doomed')).status).toBe(404);
      expect(await gateway.request('DELETE', '/v1/alarms/doomed')).toEqual({ status: 404, body: { __type: 'ResourceNotFound', message: 'Alarm doomed not found' } });
    });

    it('deletes several, none when one does not exist (400 ResourceNotFound: the body named it)', async () => {
      for (const name of ['batch-1', 'batch-2']) await gateway.request('PUT', `/v1/alarms/${name}`, CPU_ALARM);
      expect(await gateway.request('POST', '/v1/alarms/delete', { alarmNames: ['batch-1', 'missing'] })).toEqual({
        status: 400,
        body: { __type: 'ResourceNotFound', message: 'Alarm missing not found' },
      });
      expect((await gateway.request('GET', '/v1/alarms/batch-1')).status).toBe(200);
      expect(await gateway.request('POST', '/v1/alarms/delete', { alarmNames: ['batch-1', 'batch-2'] })).toEqual({ status: 200, body: {} });
      expect((await gateway.request('GET', '/v1/alarms?alarmNamePrefix=batch-')).body.metricAlarms).toEqual([]);
    });
  });

  describe('PutMetricData', () => {
    it('sends the data points to the alarm monitor and answers 200', async () => {
      const body = { namespace: 'App', metricData: [{ metricName: 'Latency', dimensions: [{ name: 'Route', value: '/' }], value: 12.5, timestamp: T0 / 1000, unit: 'Milliseconds' }] };
      expect(await gateway.request('POST', '/v1/metrics', body)).toEqual({ status: 200, body: {} });
      expect(gateway.sent.at(-1)).toMatchObject({ subject: 'alarms.command.PutMetricData', data: body });
    });
  });

  describe('validation', () => {
    it.each<[string, string, string, unknown]>([
      ['an unknown statistic', 'PUT', '/v1/alarms/bad', { ...CPU_ALARM, statistic: 'Median' }],
      ['a missing threshold', 'PUT', '/v1/alarms/bad', { ...CPU_ALARM, threshold: undefined }],
      ['a period under 10 seconds', 'PUT', '/v1/alarms/bad', { ...CPU_ALARM, period: 5 }],
      ['the name in the body too', 'PUT', '/v1/alarms/bad', { ...CPU_ALARM, alarmName: 'bad' }],
      ['an unknown field', 'PUT', '/v1/alarms/bad', { ...CPU_ALARM, unit: 'Percent' }],
      ['duplicate dimension names', 'PUT', '/v1/alarms/bad', { ...CPU_ALARM, dimensions: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }] }],
      ['a name of 256 characters', 'PUT', `/v1/alarms/${'n'.repeat(256)}`, CPU_ALARM],
      ['a control character in the name', 'GET', '/v1/alarms/bad%0Aname', undefined],
      ['an unknown state', 'PUT', '/v1/alarms/manual/state', { stateValue: 'RED', stateReason: 'x' }],
      ['a missing state reason', 'PUT', '/v1/alarms/manual/state', { stateValue: 'OK' }],
      ['no alarm names to delete', 'POST', '/v1/alarms/delete', { alarmNames: [] }],
      ['more than 100 alarm names to delete', 'POST', '/v1/alarms/delete', { alarmNames: Array.from({ length: 101 }, (_, n) => `a${n}`) }],
      ['no metric data', 'POST', '/v1/metrics', { namespace: 'App', metricData: [] }],
      ['a value that is no number', 'POST', '/v1/metrics', { namespace: 'App', metricData: [{ metricName: 'm', value: 'high' }] }],
      ['a negative timestamp', 'POST', '/v1/metrics', { namespace: 'App', metricData: [{ metricName: 'm', value: 1, timestamp: -1 }] }],
      ['more than 1,000 data points', 'POST', '/v1/metrics', { namespace: 'App', metricData: Array.from({ length: 1_001 }, () => ({ metricName: 'm', value: 1 })) }],
      ['an unknown state filter', 'GET', '/v1/alarms?stateValue=RED', undefined],
      ['maxRecords 0', 'GET', '/v1/alarms?maxRecords=0', undefined],
      ['alarmNames with alarmNamePrefix', 'GET', '/v1/alarms?alarmNames=a&alarmNamePrefix=a', undefined],
      ['a forged nextToken', 'GET', '/v1/alarms?nextToken=eyJrIjoiYSJ9.forged', undefined],
      ['an unknown history scan order', 'GET', '/v1/alarms/manual/history?scanBy=Sideways', undefined],
      ['an unknown history item type', 'GET', '/v1/alarms/manual/history?historyItemType=Everything', undefined],
    ])('answers 400 InvalidParameterException for %s, sending and storing nothing', async (_what, method, path, body) => {
      const [sent, stored] = [gateway.sent.length, await gateway.store.headPosition()];
      expect(await gateway.request(method, path, body)).toEqual({ status: 400, body: { __type: 'InvalidParameterException', message: expect.any(String) } });
      expect([gateway.sent.length, await gateway.store.headPosition()]).toEqual([sent, stored]);
    });

    it('answers 400 InvalidParameterException for a rule the alarm monitor checks (datapointsToAlarm above evaluationPeriods), storing nothing', async () => {
      const stored = await gateway.store.headPosition();
      expect(await gateway.request('PUT', '/v1/alarms/bad', { ...CPU_ALARM, datapointsToAlarm: 3 })).toEqual({
        status: 400,
        body: { __type: 'InvalidParameterException', message: 'datapointsToAlarm: 3 is more than evaluationPeriods (2)' },
      });
      expect(await gateway.store.headPosition()).toBe(stored);
    });
  });
});

// Fixtures last.
const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const arn = (name: string) => `arn:aws:cloudwatch:${SCOPE.region}:${SCOPE.accountId}:alarm:${name}`;
const DIMENSIONS = [
  { name: 'ClusterName', value: 'prod' },
  { name: 'ServiceName', value: 'daemon:monitor' },
];
const CPU_ALARM = {
  alarmDescription: 'the monitor daemon is busy',
  namespace: 'AWS/ECS',
  metricName: 'CPUUtilization',
  dimensions: DIMENSIONS,
  statistic: 'Average',
  period: 60,
  evaluationPeriods: 2,
  threshold: 80,
  comparisonOperator: 'GreaterThanThreshold',
};

function expectedAlarm(name: string) {
  return {
    alarmName: name,
    alarmArn: arn(name),
    alarmDescription: 'the monitor daemon is busy',
    alarmConfigurationUpdatedTimestamp: T0 / 1000,
    actionsEnabled: true,
    okActions: [],
    alarmActions: [],
    insufficientDataActions: [],
    stateValue: 'INSUFFICIENT_DATA',
    stateReason: 'Unchecked: Initial alarm creation',
    stateUpdatedTimestamp: T0 / 1000,
    stateTransitionedTimestamp: T0 / 1000,
    metricName: 'CPUUtilization',
    namespace: 'AWS/ECS',
    statistic: 'Average',
    dimensions: DIMENSIONS,
    period: 60,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    threshold: 80,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'missing',
  };
}
