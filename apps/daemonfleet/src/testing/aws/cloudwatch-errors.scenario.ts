import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type DeleteAlarmsCommandInput,
  type PutMetricAlarmCommandInput,
  type PutMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { beforeAll, expect, it } from 'vitest';
import { alarm } from './cloudwatch-alarms.scenario.js';
import { cloudWatchFailureOf } from './cloudwatch-client.js';
import type { CloudWatchSystem } from './cloudwatch-system.js';

/**
 * Every error the alarm operations document, as the official client sees it: the typed exception (its name, a client
 * fault), the Query code and type it reads from `x-amzn-query-error`, the message, the HTTP status and the request id.
 */
export function cloudWatchErrorScenarios(system: () => CloudWatchSystem): void {
  const failure = async (call: Promise<unknown>, name: string, code: string, message?: RegExp, status = 400) => {
    const error = await cloudWatchFailureOf(call);
    expect({ name: error.name, Code: error.Code, Type: error.Type, $fault: error.$fault, status: error.$metadata.httpStatusCode }).toEqual({
      name,
      Code: code,
      Type: 'Sender',
      $fault: 'client',
      status,
    });
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    if (message) expect(error.message).toMatch(message);
  };
  const putAlarm = (input: Partial<PutMetricAlarmCommandInput>) => system().cloudWatch.send(new PutMetricAlarmCommand({ ...alarm('cw-err-bad'), ...input } as PutMetricAlarmCommandInput));
  const putData = (input: Partial<PutMetricDataCommandInput>) =>
    system().cloudWatch.send(new PutMetricDataCommand({ Namespace: 'Daemonfleet/Tests', MetricData: [{ MetricName: 'Latency', Value: 1 }], ...input } as PutMetricDataCommandInput));

  beforeAll(async () => {
    await system().cloudWatch.send(new PutMetricAlarmCommand(alarm('cw-err-kept')));
  });

  it('answers ResourceNotFound (404) for the state of an alarm that does not exist, and for deleting one', async () => {
    const { cloudWatch } = system();
    await failure(cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'cw-err-ghost', StateValue: 'OK', StateReason: 'x' })), 'ResourceNotFound', 'ResourceNotFound', /cw-err-ghost/, 404);
    // When one of them does not exist, none is deleted.
    const both: DeleteAlarmsCommandInput = { AlarmNames: ['cw-err-kept', 'cw-err-ghost'] };
    await failure(cloudWatch.send(new DeleteAlarmsCommand(both)), 'ResourceNotFound', 'ResourceNotFound', /cw-err-ghost/, 404);
    expect((await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['cw-err-kept'] }))).MetricAlarms).toHaveLength(1);
  });

  it('answers MissingRequiredParameterException for a required member left out, nested ones included', async () => {
    const { cloudWatch } = system();
    await failure(putAlarm({ Namespace: undefined }), 'MissingRequiredParameterException', 'MissingParameter', /^The parameter Namespace is required\.$/);
    await failure(putAlarm({ Dimensions: [{ Name: 'ClusterName' } as never] }), 'MissingRequiredParameterException', 'MissingParameter', /Dimensions\.0\.Value/);
    await failure(cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'cw-err-kept', StateValue: 'OK' } as never)), 'MissingRequiredParameterException', 'MissingParameter', /StateReason/);
    await failure(cloudWatch.send(new DeleteAlarmsCommand({} as never)), 'MissingRequiredParameterException', 'MissingParameter', /AlarmNames/);
    await failure(putData({ Namespace: undefined }), 'MissingRequiredParameterException', 'MissingParameter', /Namespace/);
    await failure(putData({ MetricData: [{ Value: 1 } as never] }), 'MissingRequiredParameterException', 'MissingParameter', /MetricData\.0\.MetricName/);
  });

  it('answers InvalidParameterValueException for values out of range, members daemonfleet does not take, and the rules of alarms and metrics', async () => {
    const { cloudWatch } = system();
    await failure(putAlarm({ Period: 45 }), 'InvalidParameterValueException', 'InvalidParameterValue', /^Period: 45 is not 10, 30 or a multiple of 60 seconds$/);
    await failure(putAlarm({ EvaluationPeriods: 0 }), 'InvalidParameterValueException', 'InvalidParameterValue', /EvaluationPeriods/);
    await failure(putAlarm({ EvaluationPeriods: 2, DatapointsToAlarm: 3 }), 'InvalidParameterValueException', 'InvalidParameterValue', /DatapointsToAlarm/);
    await failure(putAlarm({ ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }), 'InvalidParameterValueException', 'InvalidParameterValue', /ComparisonOperator/);
    await failure(putAlarm({ AlarmName: 'cw\u0001bell' }), 'InvalidParameterValueException', 'InvalidParameterValue', /AlarmName/);
    await failure(putAlarm({ AlarmActions: ['arn:aws:sns:us-east-1:000000000000:pager'] }), 'InvalidParameterValueException', 'InvalidParameterValue', /no alarm actions/);
    await failure(putAlarm({ Unit: 'Percent' }), 'InvalidParameterValueException', 'InvalidParameterValue', /^Unit: PutMetricAlarm in daemonfleet does not take this member$/);
    await failure(putAlarm({ Tags: [{ Key: 'aws:owner', Value: 'x' }] }), 'InvalidParameterValueException', 'InvalidParameterValue', /Tags\.0\.Key/);
    await failure(cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'cw-err-kept', StateValue: 'BROKEN' as never, StateReason: 'x' })), 'InvalidParameterValueException', 'InvalidParameterValue', /StateValue/);
    await failure(cloudWatch.send(new DescribeAlarmsCommand({ MaxRecords: 101 })), 'InvalidParameterValueException', 'InvalidParameterValue', /MaxRecords/);
    await failure(cloudWatch.send(new DescribeAlarmHistoryCommand({ ScanBy: 'Sideways' as never })), 'InvalidParameterValueException', 'InvalidParameterValue', /ScanBy/);

    await failure(putData({ Namespace: 'AWS/ECS' }), 'InvalidParameterValueException', 'InvalidParameterValue', /AWS\//);
    await failure(putData({ MetricData: [{ MetricName: 'Latency', Value: 1, Timestamp: new Date(Date.now() - 15 * 86_400_000) }] }), 'InvalidParameterValueException', 'InvalidParameterValue', /^MetricData\.0\.Timestamp: must be within the past two weeks/);
    // The client sends NaN as the string "NaN"; CloudWatch takes no special values, and none past 2^360.
    await failure(putData({ MetricData: [{ MetricName: 'Latency', Value: Number.NaN }] }), 'InvalidParameterValueException', 'InvalidParameterValue', /MetricData\.0\.Value/);
    await failure(putData({ MetricData: [{ MetricName: 'Latency', Value: 1e200 }] }), 'InvalidParameterValueException', 'InvalidParameterValue', /MetricData\.0\.Value/);
    await failure(putData({ MetricData: [{ MetricName: 'Latency', Value: 1, StorageResolution: 1 }] }), 'InvalidParameterValueException', 'InvalidParameterValue', /^MetricData\.0\.StorageResolution: PutMetricData in daemonfleet does not take this member$/);
    await failure(putData({ MetricData: [{ MetricName: 'Latency', Value: 1, Unit: 'Furlongs' as never }] }), 'InvalidParameterValueException', 'InvalidParameterValue', /Unit/);
  });

  it('answers InvalidParameterCombinationException for members that exclude each other, or of which one is needed', async () => {
    const { cloudWatch } = system();
    await failure(cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['cw-err-kept'], AlarmNamePrefix: 'cw-' })), 'InvalidParameterCombinationException', 'InvalidParameterCombination', /AlarmNamePrefix/);
    await failure(cloudWatch.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'cw-err-kept', StateValue: 'OK' })), 'InvalidParameterCombinationException', 'InvalidParameterCombination', /ChildrenOfAlarmName/);
    await failure(putData({ MetricData: [{ MetricName: 'Latency' }] }), 'InvalidParameterCombinationException', 'InvalidParameterCombination', /MetricData\.0\.Value, MetricData\.0\.StatisticValues, MetricData\.0\.Values must be specified/);
    await failure(putData({ MetricData: [{ MetricName: 'Latency', Value: 1, Values: [1, 2] }] }), 'InvalidParameterCombinationException', 'InvalidParameterCombination', /MetricData\.0\.Value and MetricData\.0\.Values are mutually exclusive/);
  });

  it('answers InvalidFormatFault for StateReasonData that is not JSON (and refuses JSON by name: the monitor keeps none)', async () => {
    const { cloudWatch } = system();
    await failure(cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'cw-err-kept', StateValue: 'ALARM', StateReason: 'x', StateReasonData: '{not json' })), 'InvalidFormatFault', 'InvalidFormat', /JSON/);
    await failure(
      cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'cw-err-kept', StateValue: 'ALARM', StateReason: 'x', StateReasonData: '{"source": "test"}' })),
      'InvalidParameterValueException',
      'InvalidParameterValue',
      /^StateReasonData: SetAlarmState in daemonfleet does not take this member/,
    );
    expect((await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['cw-err-kept'] }))).MetricAlarms![0].StateValue).not.toBe('ALARM');
  });

  it('answers InvalidNextToken for a forged token, or one of another listing', async () => {
    const { cloudWatch } = system();
    for (const name of ['cw-err-page-1', 'cw-err-page-2']) await cloudWatch.send(new PutMetricAlarmCommand(alarm(name)));
    const page = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'cw-err-page-', MaxRecords: 1 }));
    expect(page.NextToken).toEqual(expect.any(String));
    await failure(cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'cw-err-page-', NextToken: `${page.NextToken}x` })), 'InvalidNextToken', 'InvalidNextToken', /NextToken/);
    await failure(cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'cw-err-', NextToken: page.NextToken })), 'InvalidNextToken', 'InvalidNextToken');
    await failure(cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cw-err-page-1', NextToken: page.NextToken })), 'InvalidNextToken', 'InvalidNextToken');
    await failure(cloudWatch.send(new DescribeAlarmHistoryCommand({ NextToken: 'eyJrIjoiYSJ9.forged' })), 'InvalidNextToken', 'InvalidNextToken');
  });
}
