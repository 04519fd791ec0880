import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  paginateDescribeAlarmHistory,
  paginateDescribeAlarms,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  waitUntilAlarmExists,
  type AlarmHistoryItem,
  type CloudWatchClient,
  type DescribeAlarmsCommandInput,
  type MetricAlarm,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { eventually } from '@daemonfleet/testing';
import { expect, it } from 'vitest';
import { cloudWatchClient, fastCloudWatchWaiter } from './cloudwatch-client.js';
import type { CloudWatchSystem } from './cloudwatch-system.js';
import { ACCOUNT, REGION } from './ecs-world.js';

/**
 * Every operation of CloudWatch's alarms through the official client: alarms put, described, set by hand, deleted;
 * their history; metric data that drive an alarm through the alarm monitor's evaluator (TIME_SCALE 600: a period of
 * 60 simulated seconds lasts 0.1 s). Every alarm's name starts with its scenario's, so scenarios share a system.
 */
export function cloudWatchAlarmScenarios(system: () => CloudWatchSystem): void {
  it('puts a metric alarm and describes it as CloudWatch’s MetricAlarm, epoch seconds parsed to Dates', async () => {
    const { cloudWatch } = system();
    const put = await cloudWatch.send(
      new PutMetricAlarmCommand({
        ...alarm('cw-put-cpu'),
        AlarmDescription: 'CPU of the agent',
        Dimensions: [
          { Name: 'ClusterName', Value: 'prod' },
          { Name: 'ServiceName', Value: 'daemon:agent' },
        ],
        DatapointsToAlarm: 2,
        EvaluationPeriods: 3,
        ActionsEnabled: false,
        AlarmActions: [],
        Tags: [{ Key: 'team', Value: 'sre' }],
      }),
    );
    expect(put.$metadata).toMatchObject({ httpStatusCode: 200, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await waitUntilAlarmExists(fastCloudWatchWaiter(cloudWatch), { AlarmNames: ['cw-put-cpu'] });

    const described = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['cw-put-cpu'] }));
    expect(described.CompositeAlarms).toEqual([]);
    expect(described.NextToken).toBeUndefined();
    expect(described.MetricAlarms).toEqual([
      {
        AlarmName: 'cw-put-cpu',
        AlarmArn: alarmArn('cw-put-cpu'),
        AlarmDescription: 'CPU of the agent',
        AlarmConfigurationUpdatedTimestamp: expect.any(Date),
        ActionsEnabled: false,
        OKActions: [],
        AlarmActions: [],
        InsufficientDataActions: [],
        StateValue: 'INSUFFICIENT_DATA',
        StateReason: 'Unchecked: Initial alarm creation',
        StateUpdatedTimestamp: expect.any(Date),
        StateTransitionedTimestamp: expect.any(Date),
        MetricName: 'Latency',
        Namespace: 'Daemonfleet/Tests',
        Statistic: 'Average',
        Dimensions: [
          { Name: 'ClusterName', Value: 'prod' },
          { Name: 'ServiceName', Value: 'daemon:agent' },
        ],
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 100,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'ignore',
      },
    ]);
    expectRecent(described.MetricAlarms![0].AlarmConfigurationUpdatedTimestamp);
  });

  it('replaces an alarm’s configuration and keeps its state', async () => {
    const { cloudWatch } = system();
    await cloudWatch.send(new PutMetricAlarmCommand(alarm('cw-replace')));
    await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'cw-replace', StateValue: 'ALARM', StateReason: 'drill' }));
    await cloudWatch.send(new PutMetricAlarmCommand({ ...alarm('cw-replace'), EvaluationPeriods: 5, Threshold: 250.5 }));
    expect(await only(cloudWatch, 'cw-replace')).toMatchObject({ EvaluationPeriods: 5, DatapointsToAlarm: 5, Threshold: 250.5, StateValue: 'ALARM', StateReason: 'drill' });
  });

  it('lists the alarms in name order, by names, prefix, state and type, a page at a time', async () => {
    const { cloudWatch } = system();
    for (const name of ['cw-list-3', 'cw-list-1', 'cw-list-2']) await cloudWatch.send(new PutMetricAlarmCommand(alarm(name)));
    await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'cw-list-2', StateValue: 'OK', StateReason: 'fine' }));
    const names = async (input: DescribeAlarmsCommandInput) =>
      ((await cloudWatch.send(new DescribeAlarmsCommand(input))).MetricAlarms ?? []).map((a) => a.AlarmName);

    expect(await names({ AlarmNamePrefix: 'cw-list-' })).toEqual(['cw-list-1', 'cw-list-2', 'cw-list-3']);
    expect(await names({ AlarmNames: ['cw-list-3', 'cw-list-1', 'cw-list-none'] })).toEqual(['cw-list-1', 'cw-list-3']);
    expect(await names({ AlarmNamePrefix: 'cw-list-', StateValue: 'OK' })).toEqual(['cw-list-2']);
    expect(await names({ AlarmNamePrefix: 'cw-list-', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })).toEqual(['cw-list-1', 'cw-list-2', 'cw-list-3']);
    // daemonfleet has metric alarms only, without actions: composite alarms, their relations and action prefixes match none.
    expect(await names({ AlarmNamePrefix: 'cw-list-', AlarmTypes: ['CompositeAlarm'] })).toEqual([]);
    expect(await names({ ChildrenOfAlarmName: 'cw-list-1' })).toEqual([]);
    expect(await names({ ParentsOfAlarmName: 'cw-list-1' })).toEqual([]);
    expect(await names({ AlarmNamePrefix: 'cw-list-', ActionPrefix: 'arn:aws:sns' })).toEqual([]);

    const first = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'cw-list-', MaxRecords: 2 }));
    expect(first.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['cw-list-1', 'cw-list-2']);
    const second = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'cw-list-', MaxRecords: 2, NextToken: first.NextToken }));
    expect(second.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['cw-list-3']);
    expect(second.NextToken).toBeUndefined();

    const paged: string[] = [];
    for await (const page of paginateDescribeAlarms({ client: cloudWatch, pageSize: 1 }, { AlarmNamePrefix: 'cw-list-' })) paged.push(...(page.MetricAlarms ?? []).map((a) => a.AlarmName!));
    expect(paged).toEqual(['cw-list-1', 'cw-list-2', 'cw-list-3']);
  });

  it('sets an alarm’s state by hand, which DescribeAlarms and DescribeAlarmHistory show', async () => {
    const { cloudWatch } = system();
    await cloudWatch.send(new PutMetricAlarmCommand(alarm('cw-set')));
    const before = Date.now();
    await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'cw-set', StateValue: 'ALARM', StateReason: 'testing the rollback' }));
    const set = await only(cloudWatch, 'cw-set');
    expect(set).toMatchObject({ StateValue: 'ALARM', StateReason: 'testing the rollback' });
    expect(set.StateUpdatedTimestamp!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    // Setting the state it is in records nothing.
    await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'cw-set', StateValue: 'ALARM', StateReason: 'again' }));
    await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'cw-set', StateValue: 'OK', StateReason: 'over' }));

    const { AlarmHistoryItems: items } = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cw-set' }));
    expect(items?.map((item) => [item.HistoryItemType, item.HistorySummary])).toEqual([
      ['StateUpdate', 'Alarm updated from ALARM to OK'],
      ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
      ['ConfigurationUpdate', 'Alarm "cw-set" created'],
    ]);
    expect(items![1]).toMatchObject({ AlarmName: 'cw-set', AlarmType: 'MetricAlarm', Timestamp: expect.any(Date) });
    expect(JSON.parse(items![1].HistoryData!)).toEqual({
      version: '1.0',
      oldState: { stateValue: 'INSUFFICIENT_DATA', stateReason: 'Unchecked: Initial alarm creation' },
      newState: { stateValue: 'ALARM', stateReason: 'testing the rollback' },
    });
    expectRecent(items![1].Timestamp);

    const states = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cw-set', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
    expect(states.AlarmHistoryItems?.map((item) => item.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM', 'Alarm updated from ALARM to OK']);
    const ranged = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cw-set', StartDate: items![1].Timestamp, EndDate: items![1].Timestamp }));
    expect(ranged.AlarmHistoryItems?.map((item) => item.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM']);
    expect((await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cw-set', StartDate: new Date(Date.now() + 3_600_000) }))).AlarmHistoryItems).toEqual([]);
    expect((await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cw-set', HistoryItemType: 'Action' }))).AlarmHistoryItems).toEqual([]);

    const paged: AlarmHistoryItem[] = [];
    for await (const page of paginateDescribeAlarmHistory({ client: cloudWatch, pageSize: 1 }, { AlarmName: 'cw-set' })) {
      expect(page.AlarmHistoryItems!.length).toBeLessThanOrEqual(1);
      paged.push(...page.AlarmHistoryItems!);
    }
    expect(paged).toEqual(items);
  });

  it('deletes alarms, keeps their history, and tells every alarm’s history without a name', async () => {
    const { cloudWatch } = system();
    for (const name of ['cw-delete-1', 'cw-delete-2']) await cloudWatch.send(new PutMetricAlarmCommand(alarm(name)));
    await cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: ['cw-delete-1', 'cw-delete-2'] }));
    expect((await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'cw-delete-' }))).MetricAlarms).toEqual([]);

    const { AlarmHistoryItems: items } = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cw-delete-1' }));
    expect(items?.map((item) => item.HistorySummary)).toEqual(['Alarm "cw-delete-1" deleted', 'Alarm "cw-delete-1" created']);
    expect(JSON.parse(items![0].HistoryData!)).toMatchObject({ type: 'Delete', deletedAlarm: { alarmName: 'cw-delete-1', threshold: 100 } });
    // A name never used has no history.
    expect((await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cw-delete-never' }))).AlarmHistoryItems).toEqual([]);

    const everyAlarm: AlarmHistoryItem[] = [];
    for await (const page of paginateDescribeAlarmHistory({ client: cloudWatch, pageSize: 100 }, { HistoryItemType: 'ConfigurationUpdate' })) everyAlarm.push(...page.AlarmHistoryItems!);
    const deletions = everyAlarm.filter((item) => item.AlarmName?.startsWith('cw-delete-')).map((item) => item.HistorySummary);
    expect(deletions).toEqual(expect.arrayContaining(['Alarm "cw-delete-1" deleted', 'Alarm "cw-delete-2" deleted', 'Alarm "cw-delete-1" created', 'Alarm "cw-delete-2" created']));
    const times = everyAlarm.map((item) => item.Timestamp!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('drives an alarm into ALARM with PutMetricData, through the alarm monitor’s evaluation of each period', async () => {
    const { cloudWatch } = system();
    const dimensions = [{ Name: 'Route', Value: '/checkout' }];
    await cloudWatch.send(new PutMetricAlarmCommand({ ...alarm('cw-data'), MetricName: 'CheckoutLatency', Dimensions: dimensions }));
    const report = (value: number) =>
      cloudWatch.send(new PutMetricDataCommand({ Namespace: 'Daemonfleet/Tests', MetricData: [{ MetricName: 'CheckoutLatency', Dimensions: dimensions, Value: value, Timestamp: new Date(), Unit: 'Milliseconds' }] }));

    // Each probe reports one data point of the period in progress; a period lasts 0.1 s and is evaluated once it ends.
    const stateAfterReporting = (value: number, state: string) =>
      eventually(
        async () => {
          await report(value);
          expect((await only(cloudWatch, 'cw-data')).StateValue).toBe(state);
        },
        { timeoutMs: 15_000, intervalMs: 50, what: `the alarm to be ${state}` },
      );
    await stateAfterReporting(20, 'OK');
    await stateAfterReporting(500, 'ALARM');

    const evaluated = await only(cloudWatch, 'cw-data');
    expect(evaluated.StateReason).toMatch(/Threshold Crossed/);
    expect(JSON.parse(evaluated.StateReasonData!)).toMatchObject({ version: '1.0', statistic: 'Average', period: 60, threshold: 100 });
    const { AlarmHistoryItems: items } = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cw-data', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
    expect(items?.map((item) => item.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to OK', 'Alarm updated from OK to ALARM']);
  });

  it('takes the PutMetricData bodies the client compresses (gzip from 10 KiB on)', async () => {
    const { cloudWatch } = system();
    const encodings: (string | undefined)[] = [];
    cloudWatch.middlewareStack.add(
      (next) => async (args) => {
        encodings.push((args.request as { headers: Record<string, string> }).headers['content-encoding']);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordContentEncoding' },
    );
    try {
      // A period of 10 simulated minutes lasts 1 s: the 1,000 data points of one call all fall in one.
      await cloudWatch.send(new PutMetricAlarmCommand({ ...alarm('cw-gzip'), MetricName: 'Requests', Statistic: 'SampleCount', Period: 600, EvaluationPeriods: 1, Threshold: 1000, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
      const at = new Date();
      const metricData = Array.from({ length: 1000 }, (_, i) => ({ MetricName: 'Requests', Value: i, Timestamp: at, Unit: 'Count' as const }));
      await cloudWatch.send(new PutMetricDataCommand({ Namespace: 'Daemonfleet/Tests', MetricData: metricData }));
      expect(encodings.at(-1)).toBe('gzip');
      await eventually(async () => expect((await only(cloudWatch, 'cw-gzip')).StateValue).toBe('ALARM'), { timeoutMs: 15_000, what: 'the alarm on the 1,000 data points to be ALARM' });
    } finally {
      cloudWatch.middlewareStack.remove('recordContentEncoding');
    }
  });

  it('acts in the account and region of the credential scope, as the ECS side does', async () => {
    const { url, cloudWatch } = system();
    const elsewhere = cloudWatchClient(url, { region: 'eu-west-3', accessKeyId: '123456789012' });
    try {
      await elsewhere.send(new PutMetricAlarmCommand(alarm('cw-scoped')));
      expect((await only(elsewhere, 'cw-scoped')).AlarmArn).toBe('arn:aws:cloudwatch:eu-west-3:123456789012:alarm:cw-scoped');
      expect((await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['cw-scoped'] }))).MetricAlarms).toEqual([]);
      expect((await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cw-scoped' }))).AlarmHistoryItems).toEqual([]);
      // Without a name, each scope's history holds its own alarms' only.
      expect((await elsewhere.send(new DescribeAlarmHistoryCommand({}))).AlarmHistoryItems?.map((item) => item.AlarmName)).toEqual(['cw-scoped']);
      const here: AlarmHistoryItem[] = [];
      for await (const page of paginateDescribeAlarmHistory({ client: cloudWatch, pageSize: 100 }, {})) here.push(...page.AlarmHistoryItems!);
      expect(here.length).toBeGreaterThan(0);
      expect(here.filter((item) => item.AlarmName === 'cw-scoped')).toEqual([]);
      await expect(cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'cw-scoped', StateValue: 'OK', StateReason: 'x' }))).rejects.toMatchObject({ name: 'ResourceNotFound' });
    } finally {
      elsewhere.destroy();
    }
  });
}

/** A metric alarm on a custom metric nothing reports but the scenario; missing data keep its state. */
export function alarm(name: string): PutMetricAlarmCommandInput {
  return {
    AlarmName: name,
    Namespace: 'Daemonfleet/Tests',
    MetricName: 'Latency',
    Statistic: 'Average',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 100,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'ignore',
  };
}

export const alarmArn = (name: string) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`;

/** The one alarm of that name, as DescribeAlarms answers it. */
async function only(cloudWatch: CloudWatchClient, name: string): Promise<MetricAlarm> {
  const { MetricAlarms } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  expect(MetricAlarms).toHaveLength(1);
  return MetricAlarms![0];
}

/** A timestamp the SDK parsed from epoch seconds: a Date of the last minutes. */
function expectRecent(time: Date | undefined): void {
  expect(time).toBeInstanceOf(Date);
  expect(Math.abs(Date.now() - time!.getTime())).toBeLessThan(120_000);
}
