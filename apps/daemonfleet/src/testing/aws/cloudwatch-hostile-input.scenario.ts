import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import fc from 'fast-check';
import { eventually } from '@daemonfleet/testing';
import { beforeAll, expect, it } from 'vitest';
import { CLOUDWATCH_TARGET, postAws } from './aws-raw-client.js';
import type { CloudWatchSystem } from './cloudwatch-system.js';
import { hostileCloudWatchRequest } from './cloudwatch-hostile-requests.js';

/** The client errors the CloudWatch protocol may answer hostile input with, and their statuses: never a 5xx. */
const CLIENT_ERRORS: Readonly<Record<string, number>> = {
  SerializationException: 400,
  UnknownOperationException: 400,
  InvalidParameterValueException: 400,
  MissingRequiredParameterException: 400,
  InvalidParameterCombinationException: 400,
  InvalidNextToken: 400,
  InvalidFormatFault: 400,
  ResourceNotFound: 404,
};

/** The Query codes of CloudWatch's exceptions, which its protocol's errors carry (the protocol's own keep their names). */
const QUERY_CODES: Readonly<Record<string, string>> = {
  InvalidParameterValueException: 'InvalidParameterValue',
  MissingRequiredParameterException: 'MissingParameter',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
  InvalidFormatFault: 'InvalidFormat',
};

/**
 * Hostile input to the CloudWatch targets (fast-check): malformed JSON, wrong types, missing and unknown members,
 * huge strings, numbers and lists, unknown targets, bodies over the limit, broken and inflating gzip. Every answer is
 * a 4xx with a CloudWatch error name, its Query code and a request id, never a 5xx, and the event store does not move.
 * Needs a system of its own, where nothing else is going on.
 */
export function cloudWatchHostileInputScenarios(system: () => CloudWatchSystem): void {
  beforeAll(async () => {
    const { cloudWatch, store } = system();
    await cloudWatch.send(
      new PutMetricAlarmCommand({ AlarmName: 'fz-cpu', Namespace: 'Fuzz', MetricName: 'Latency', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 100, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore' }),
    );
    await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'fz-cpu', StateValue: 'OK', StateReason: 'fuzz world' }));
    // Quiet: an alarm on a metric nobody reports, whose missing data are ignored, is never evaluated into a change.
    let last = -1;
    await eventually(
      async () => {
        const head = await store.headPosition();
        const settled = head === last;
        last = head;
        expect(settled).toBe(true);
      },
      { timeoutMs: 10_000, intervalMs: 300, what: 'the event store to settle' },
    );
  });

  it('answers every hostile request with a 4xx and a CloudWatch error name, and writes nothing', async () => {
    const { url, store } = system();
    const head = await store.headPosition();
    await fc.assert(
      fc.asyncProperty(hostileCloudWatchRequest, async (request) => {
        const before = await store.headPosition();
        const answer = await postAws(url, request.target, request.body, { 'content-type': 'application/x-amz-json-1.0', ...request.headers });
        const name = String(answer.body?.__type);
        expect({ request: request.what, status: answer.status }).toEqual({ request: request.what, status: CLIENT_ERRORS[name] ?? `a client error, not ${name}` });
        expect(answer.body?.message).toEqual(expect.any(String));
        // A target of no service daemonfleet speaks is answered in ECS's terms, without CloudWatch's Query code.
        if (request.target?.startsWith(CLOUDWATCH_TARGET(''))) expect(answer.headers.get('x-amzn-query-error')).toBe(`${QUERY_CODES[name] ?? name};Sender`);
        else expect(name).toBe('UnknownOperationException');
        expect(answer.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
        expect({ request: request.what, head: await store.headPosition() }).toEqual({ request: request.what, head: before });
      }),
      { numRuns: 500 },
    );
    expect(await store.headPosition()).toBe(head);
  });
}
