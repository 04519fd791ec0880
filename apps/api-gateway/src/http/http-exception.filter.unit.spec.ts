import { ClientTokenReused, ClusterNotFound, DaemonNotFound, InvalidParameter } from '@daemonfleet/domain';
import { NoRespondersError, RemoteError, RequestTimeoutError, TransportError } from '@daemonfleet/messaging';
import { ConcurrentModificationError, RequestValidationError } from '@daemonfleet/service-runtime';
import {
  BadRequestException,
  ForbiddenException,
  InternalServerErrorException,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  type ArgumentsHost,
} from '@nestjs/common';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { ReadModelBehindError } from '../read-models/read-model-feed.js';
import { PathResourceNotFound } from './ecs-errors.js';
import { HttpExceptionFilter } from './http-exception.filter.js';

describe('HttpExceptionFilter', () => {
  let logged: MockInstance<Logger['error']>;
  beforeEach(() => {
    logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers a resource named in the URL path that does not exist with 404 and its ECS name', () => {
    expect(answerTo(new PathResourceNotFound('DaemonNotFoundException', 'Daemon not found: arn:d'))).toEqual({
      status: 404,
      body: { __type: 'DaemonNotFoundException', message: 'Daemon not found: arn:d' },
    });
    expect(logged).not.toHaveBeenCalled();
  });

  describe('domain and service errors, by their code', () => {
    it.each([
      ['an unknown cluster', new ClusterNotFound('prod'), 400, 'ClusterNotFoundException', 'Cluster not found: prod'],
      ['an unknown daemon named in a body', new DaemonNotFound('arn:d'), 400, 'DaemonNotFoundException', 'Daemon not found: arn:d'],
      ['a reused client token', new ClientTokenReused(), 400, 'InvalidParameterException', 'clientToken: the token was already used with different parameters'],
      ['a refused parameter', new InvalidParameter('nextToken', 'nextToken: the token is not valid for this request'), 400, 'InvalidParameterException', 'nextToken: the token is not valid for this request'],
      ['a validation failure', new RequestValidationError('foo', 'property foo should not exist'), 400, 'InvalidParameterException', 'property foo should not exist'],
      ['a remote service’s error', new RemoteError('fleet.command', { code: 'DAEMON_NOT_ACTIVE', message: 'the daemon is being deleted' }), 400, 'DaemonNotActiveException', 'the daemon is being deleted'],
      ['a plain object with a code', { code: 'DAEMON_TASK_DEFINITION_NOT_FOUND', message: 'no agent:9' }, 400, 'ClientException', 'no agent:9'],
      ['read models that are behind', new ReadModelBehindError('read models are at position 3, behind 5'), 503, 'ServerException', 'read models are at position 3, behind 5'],
      ['a stream that kept changing', new ConcurrentModificationError('daemon-x', 5), 503, 'ServerException', 'stream daemon-x kept changing under 5 attempts; try again'],
    ])('maps %s', (_what, exception, status, __type, message) => {
      expect(answerTo(exception)).toEqual({ status, body: { __type, message } });
    });
  });

  describe('transport failures', () => {
    it.each([
      ['a request that timed out', new RequestTimeoutError('df.orchestrator.command.CreateDaemon', 10_000)],
      ['a request nobody answers', new NoRespondersError('df.orchestrator.command.CreateDaemon')],
      ['a broken connection', new TransportError('connection refused')],
    ])('answers %s with 503 ServerException, and logs it', (_what, exception) => {
      expect(answerTo(exception)).toEqual({ status: 503, body: { __type: 'ServerException', message: exception.message } });
      expect(logged).toHaveBeenCalledOnce();
    });
  });

  describe('errors raised before a handler runs', () => {
    it('answers a body that is not JSON with 400 SerializationException', () => {
      expect(answerTo(bodyParserError('entity.parse.failed', 400, 'Unexpected token } in JSON at position 7'))).toEqual({
        status: 400,
        body: { __type: 'SerializationException', message: 'The request body is not valid JSON' },
      });
    });

    it('answers a body over the limit with 413', () => {
      expect(answerTo(bodyParserError('entity.too.large', 413, 'request entity too large'))).toEqual({
        status: 413,
        body: { __type: 'InvalidParameterException', message: 'The request body is over the size limit' },
      });
    });

    it.each([
      ['an unknown route', new NotFoundException('Cannot GET /v1/nothing'), 404, 'UnknownOperationException', 'Cannot GET /v1/nothing'],
      ['a bad request', new BadRequestException('Unexpected end of JSON input'), 400, 'SerializationException', 'Unexpected end of JSON input'],
      ['a payload too large', new PayloadTooLargeException(), 413, 'InvalidParameterException', 'The request body is over the size limit'],
      ['another client error', new ForbiddenException('no'), 403, 'ClientException', 'no'],
      ['a server error', new ServiceUnavailableException('draining'), 503, 'ServerException', 'draining'],
      ['an internal error', new InternalServerErrorException('oops'), 500, 'ServerException', 'oops'],
    ])('answers Nest’s %s', (_what, exception, status, __type, message) => {
      expect(answerTo(exception)).toEqual({ status, body: { __type, message } });
    });
  });

  describe('anything unexpected', () => {
    it('answers 500 ServerException without leaking the failure, and logs it with its stack', () => {
      const failure = new Error('cannot open /var/lib/daemonfleet/events.sqlite');

      expect(answerTo(failure)).toEqual({ status: 500, body: { __type: 'ServerException', message: GENERIC_MESSAGE } });
      expect(logged).toHaveBeenCalledWith('request failed: cannot open /var/lib/daemonfleet/events.sqlite', failure.stack);
    });

    it.each([
      ['a Node system error', Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:4222'), { code: 'ECONNREFUSED' })],
      ['an error with a code of Object.prototype', Object.assign(new Error('odd'), { code: 'constructor' })],
      ['an object whose message is not a string', { code: 'INVALID_PARAMETER', message: { text: 'x' } }],
      ['an object without a prototype', Object.assign(Object.create(null) as object, { reason: 'odd' })],
      ['a thrown string', 'just a string'],
      ['null', null],
      ['undefined', undefined],
    ])('answers %s with 500 ServerException', (_what, exception) => {
      expect(answerTo(exception)).toEqual({ status: 500, body: { __type: 'ServerException', message: GENERIC_MESSAGE } });
      expect(logged).toHaveBeenCalledOnce();
    });

    it('does not log client errors', () => {
      answerTo(new ClusterNotFound('prod'));
      answerTo(new NotFoundException());
      expect(logged).not.toHaveBeenCalled();
    });
  });

  it('always answers `{ __type, message }` with strings and an error status, whatever was thrown', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ code: fc.oneof(fc.constantFrom(...KNOWN_CODES), fc.string()), message: fc.oneof(fc.string(), fc.anything()) }),
          fc.record({ type: fc.constantFrom('entity.parse.failed', 'entity.too.large', 'encoding.unsupported'), message: fc.string() }),
        ),
        (exception) => {
          const { status, body } = answerTo(exception);
          expect(Object.keys(body).sort()).toEqual(['__type', 'message']);
          expect(typeof body.__type).toBe('string');
          expect(typeof body.message).toBe('string');
          expect(Number.isInteger(status) && status >= 400 && status <= 599).toBe(true);
        },
      ),
    );
  });
});

// Fixtures last: a minimal host whose response records what was sent.

const GENERIC_MESSAGE = 'The server failed to handle the request; see its logs';
const KNOWN_CODES = ['INVALID_PARAMETER', 'CLUSTER_NOT_FOUND', 'DAEMON_NOT_FOUND', 'SERVICE_UNAVAILABLE', 'INTERNAL'];

interface Answer {
  status: number;
  body: { __type: unknown; message: unknown };
}

function answerTo(exception: unknown): Answer {
  const answer: Partial<Answer> = {};
  const response = {
    status(code: number) {
      answer.status = code;
      return response;
    },
    json(body: Answer['body']) {
      answer.body = body;
      return response;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new HttpExceptionFilter().catch(exception, host);
  if (answer.status === undefined || answer.body === undefined) throw new Error('the filter sent no answer');
  return answer as Answer;
}

/** What Express's body parser raises (an http-errors error marked with `type`), not a Nest HttpException. */
function bodyParserError(type: string, status: number, message: string): Error {
  return Object.assign(new Error(message), { type, status, statusCode: status, expose: true });
}
