import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { CLOUDWATCH_TARGET, postAws, type RawAnswer } from './aws-raw-client.js';
import type { CloudWatchSystem } from './cloudwatch-system.js';

const JSON_1_0 = { 'content-type': 'application/x-amz-json-1.0' };

/** CloudWatch's AWS JSON 1.0 wire itself, as a client that is not an SDK sees it. */
export function cloudWatchProtocolScenarios(system: () => CloudWatchSystem): void {
  it('answers with JSON 1.0, PascalCase members, epoch seconds and a request id', async () => {
    const { url } = system();
    const put = await post(url, 'PutMetricAlarm', { AlarmName: 'cw-wire', Namespace: 'Daemonfleet/Tests', MetricName: 'Latency', Statistic: 'Maximum', Period: 10, EvaluationPeriods: 1, Threshold: 0.5, ComparisonOperator: 'LessThanThreshold' });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({});
    expectCloudWatchHeaders(put);
    const described = await post(url, 'DescribeAlarms', { AlarmNames: ['cw-wire'] });
    expectCloudWatchHeaders(described);
    const [metricAlarm] = described.body?.MetricAlarms as Record<string, unknown>[];
    expect(metricAlarm).toMatchObject({ AlarmName: 'cw-wire', Statistic: 'Maximum', Period: 10, Threshold: 0.5, StateValue: 'INSUFFICIENT_DATA' });
    expect(metricAlarm.StateUpdatedTimestamp).toEqual(expect.any(Number));
    expect(Math.abs((metricAlarm.StateUpdatedTimestamp as number) - Date.now() / 1000)).toBeLessThan(120);
    expect(put.headers.get('x-amzn-requestid')).not.toBe(described.headers.get('x-amzn-requestid'));
  });

  it('answers errors as {__type, message}, with the Query code in x-amzn-query-error', async () => {
    const { url } = system();
    const missing = await post(url, 'SetAlarmState', { AlarmName: 'cw-wire-ghost', StateValue: 'OK', StateReason: 'x' });
    expectCloudWatchError(missing, 'ResourceNotFound', 'ResourceNotFound;Sender', { status: 404, message: /cw-wire-ghost/ });
    const invalid = await post(url, 'DescribeAlarms', { MaxRecords: 0 });
    expectCloudWatchError(invalid, 'InvalidParameterValueException', 'InvalidParameterValue;Sender');
  });

  it.each([
    ['an operation daemonfleet does not serve', CLOUDWATCH_TARGET('GetMetricData')],
    ['a target without an operation', CLOUDWATCH_TARGET('')],
    ['a member of Object.prototype', CLOUDWATCH_TARGET('constructor')],
  ])('answers %s with UnknownOperationException, in JSON 1.0', async (_what, target) => {
    expectCloudWatchError(await postAws(system().url, target, '{}', JSON_1_0), 'UnknownOperationException', 'UnknownOperationException;Sender');
  });

  it.each([
    ['text that is not JSON', '{"AlarmName": '],
    ['a JSON array', '[]'],
    ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
    ['a __proto__ member', '{"__proto__": {"AlarmName": "x"}}'],
    ['an Integer over 32 bits', '{"MaxRecords": 2147483648}'],
  ])('answers %s with SerializationException', async (_what, body) => {
    expectCloudWatchError(await postAws(system().url, CLOUDWATCH_TARGET('DescribeAlarms'), body, JSON_1_0), 'SerializationException', 'SerializationException;Sender');
  });

  it('inflates a gzip body, and refuses one that is not gzip or inflates past 1 MiB', async () => {
    const { url } = system();
    const gzip = { ...JSON_1_0, 'content-encoding': 'gzip' };
    const data = { Namespace: 'Daemonfleet/Tests', MetricData: [{ MetricName: 'Latency', Value: 3 }] };
    const inflated = await postAws(url, CLOUDWATCH_TARGET('PutMetricData'), gzipSync(JSON.stringify(data)), gzip);
    expect(inflated.status).toBe(200);
    expectCloudWatchError(await postAws(url, CLOUDWATCH_TARGET('PutMetricData'), JSON.stringify(data), gzip), 'SerializationException', 'SerializationException;Sender');
    const bomb = gzipSync(JSON.stringify({ ...data, Padding: ' '.repeat(2 * 1024 * 1024) }));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expectCloudWatchError(await postAws(url, CLOUDWATCH_TARGET('PutMetricData'), bomb, gzip), 'InvalidParameterValueException', 'InvalidParameterValue;Sender', { message: /size limit/ });
    expectCloudWatchError(await postAws(url, CLOUDWATCH_TARGET('PutMetricData'), JSON.stringify(data), { ...JSON_1_0, 'content-encoding': 'br' }), 'SerializationException', 'SerializationException;Sender');
  });

  it('refuses a body over 1 MiB before parsing it, in CloudWatch’s terms', async () => {
    const huge = JSON.stringify({ Namespace: 'x'.repeat(1024 * 1024) });
    expectCloudWatchError(await postAws(system().url, CLOUDWATCH_TARGET('PutMetricData'), huge, JSON_1_0), 'InvalidParameterValueException', 'InvalidParameterValue;Sender', { message: /size limit/ });
  });
}

function post(url: string, operation: string, body: object): Promise<RawAnswer> {
  return postAws(url, CLOUDWATCH_TARGET(operation), JSON.stringify(body), JSON_1_0);
}

function expectCloudWatchHeaders(answer: RawAnswer): void {
  expect(answer.headers.get('content-type')).toMatch(/^application\/x-amz-json-1\.0/);
  expect(answer.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
}

function expectCloudWatchError(answer: RawAnswer, name: string, queryError: string, { status = 400, message }: { status?: number; message?: RegExp } = {}): void {
  expect({ status: answer.status, __type: answer.body?.__type, queryError: answer.headers.get('x-amzn-query-error') }).toEqual({ status, __type: name, queryError });
  expect(Object.keys(answer.body ?? {}).sort()).toEqual(['__type', 'message']);
  if (message) expect(answer.body?.message).toMatch(message);
  expectCloudWatchHeaders(answer);
}
