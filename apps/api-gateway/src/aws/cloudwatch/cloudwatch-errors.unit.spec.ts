import { AlarmNotFound, InvalidParameter } from '@daemonfleet/domain';
import { NoRespondersError, RemoteError, RequestTimeoutError, TransportError } from '@daemonfleet/messaging';
import { ConcurrentModificationError, RequestValidationError } from '@daemonfleet/service-runtime';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReadModelBehindError } from '../../read-models/read-model-feed.js';
import { AwsException } from '../aws-errors.js';
import { cloudWatchErrorFor } from './cloudwatch-errors.js';

describe('cloudWatchErrorFor', () => {
  beforeEach(() => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ['an alarm that does not exist', new AlarmNotFound(['cpu']), 'ResourceNotFound', 404, 'ResourceNotFound;Sender', 'Alarm cpu not found'],
    ['a refused field', new RequestValidationError('MaxRecords', 'MaxRecords must not be greater than 100'), 'InvalidParameterValueException', 400, 'InvalidParameterValue;Sender', 'MaxRecords must not be greater than 100'],
    ['a missing member', new AwsException('MissingRequiredParameterException', 'The parameter Namespace is required.'), 'MissingRequiredParameterException', 400, 'MissingParameter;Sender', 'The parameter Namespace is required.'],
    ['members that exclude each other', new AwsException('InvalidParameterCombinationException', 'x'), 'InvalidParameterCombinationException', 400, 'InvalidParameterCombination;Sender', 'x'],
    ['a token of another listing', new AwsException('InvalidNextToken', 'x'), 'InvalidNextToken', 400, 'InvalidNextToken;Sender', 'x'],
    ['data that are not JSON', new AwsException('InvalidFormatFault', 'x'), 'InvalidFormatFault', 400, 'InvalidFormat;Sender', 'x'],
    ['an error of the protocol itself', new AwsException('SerializationException', 'x'), 'SerializationException', 400, 'SerializationException;Sender', 'x'],
  ])('answers %s with its CloudWatch name, status and Query code', (_what, exception, name, status, queryError, message) => {
    expect(cloudWatchErrorFor(exception)).toEqual({ name, status, message, headers: { 'x-amzn-query-error': queryError } });
  });

  it('names the wire’s PascalCase member where the alarm monitor names its field', () => {
    expect(cloudWatchErrorFor(new InvalidParameter('metricData.3.timestamp', 'metricData.3.timestamp: must be within the past two weeks')).message).toBe(
      'MetricData.3.Timestamp: must be within the past two weeks',
    );
    const remote = new RemoteError('alarms.command.PutMetricAlarm', { code: 'INVALID_PARAMETER', message: 'period: 45 is not 10, 30 or a multiple of 60 seconds', details: { field: 'period' } });
    expect(cloudWatchErrorFor(remote)).toMatchObject({ name: 'InvalidParameterValueException', message: 'Period: 45 is not 10, 30 or a multiple of 60 seconds' });
    expect(cloudWatchErrorFor(new InvalidParameter('period', 'the period is wrong')).message).toBe('the period is wrong');
  });

  it.each([
    ['read models that are behind', new ReadModelBehindError('read models are behind')],
    ['a stream that kept changing', new ConcurrentModificationError('alarm-x', 5)],
    ['a request that timed out', new RequestTimeoutError('alarms.command.PutMetricData', 10_000)],
    ['a request nobody answers', new NoRespondersError('alarms.command.PutMetricData')],
    ['a broken connection', new TransportError('connection refused')],
  ])('answers %s with 500 InternalServiceFault, a Receiver fault the SDKs retry', (_what, exception) => {
    expect(cloudWatchErrorFor(exception)).toEqual({ name: 'InternalServiceFault', status: 500, message: exception.message, headers: { 'x-amzn-query-error': 'InternalServiceError;Receiver' } });
  });

  it.each([new Error('ENOENT /var/lib/daemonfleet'), 'a string', null, { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.7' }])(
    'answers anything unexpected (%j) with 500 InternalServiceFault, without its details',
    (exception) => {
      expect(cloudWatchErrorFor(exception)).toMatchObject({ name: 'InternalServiceFault', status: 500, message: 'The server failed to handle the request; see its logs' });
    },
  );
});
