import { ClusterNotFound, DaemonNotActive } from '@daemonfleet/domain';
import { NoRespondersError, RequestTimeoutError, TransportError } from '@daemonfleet/messaging';
import { ConcurrentModificationError, RequestValidationError } from '@daemonfleet/service-runtime';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PathResourceNotFound } from '../http/ecs-errors.js';
import { ReadModelBehindError } from '../read-models/read-model-feed.js';
import { AwsException, awsErrorFor } from './aws-errors.js';

describe('awsErrorFor', () => {
  beforeEach(() => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ['an error of the edge', new AwsException('UnknownOperationException', 'Unknown operation: X'), 'UnknownOperationException', 'Unknown operation: X'],
    ['a resource the REST API would answer 404 for', new PathResourceNotFound('DaemonNotFoundException', 'Daemon not found: d'), 'DaemonNotFoundException', 'Daemon not found: d'],
    ['a domain rule', new ClusterNotFound('prod'), 'ClusterNotFoundException', 'Cluster not found: prod'],
    ['a refused field', new RequestValidationError('maxResults', 'maxResults must not be less than 1'), 'InvalidParameterException', 'maxResults must not be less than 1'],
    ['a daemon being deleted', new DaemonNotActive('arn:d', 'DELETE_IN_PROGRESS'), 'DaemonNotActiveException', 'The daemon arn:d is DELETE_IN_PROGRESS, not ACTIVE'],
  ])('answers %s with 400 and its ECS name', (_what, exception, name, message) => {
    expect(awsErrorFor(exception)).toEqual({ name, status: 400, message });
  });

  it.each([
    ['read models that are behind', new ReadModelBehindError('read models are behind')],
    ['a stream that kept changing', new ConcurrentModificationError('daemon-x', 5)],
    ['a request that timed out', new RequestTimeoutError('orchestrator.command.CreateDaemon', 10_000)],
    ['a request nobody answers', new NoRespondersError('orchestrator.command.CreateDaemon')],
    ['a broken connection', new TransportError('connection refused')],
  ])('answers %s with 500 ServerException, which the SDKs retry', (_what, exception) => {
    expect(awsErrorFor(exception)).toEqual({ name: 'ServerException', status: 500, message: exception.message });
  });

  it.each([new Error('ENOENT /var/lib/daemonfleet'), 'a string', null, { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.7' }])(
    'answers anything unexpected (%j) with 500 ServerException, without its details',
    (exception) => {
      expect(awsErrorFor(exception)).toEqual({ name: 'ServerException', status: 500, message: 'The server failed to handle the request; see its logs' });
    },
  );
});
