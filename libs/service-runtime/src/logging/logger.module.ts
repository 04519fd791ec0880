import type { DynamicModule } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@daemonfleet/contracts';
import { expectedOutcomePayload } from '@daemonfleet/messaging';
import type { LevelWithSilent } from 'pino';
import { LoggerModule } from 'nestjs-pino';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** A correlation id from the caller is kept if it is short and plain; anything else is replaced. */
const ACCEPTABLE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Structured JSON logs (pino through nestjs-pino). Every line logged while handling an HTTP request or a message
 * carries the request's correlation id: taken from `x-correlation-id` (or made) at the gateway, sent on to the
 * services in the message envelope, and stored on every event the request causes.
 */
export function loggerModule(options: { service: string; level: string; kind: 'http' | 'microservice' }): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: options.level,
      base: { service: options.service },
      customAttributeKeys: { reqId: 'correlationId' },
      genReqId: (request: IncomingMessage, response: ServerResponse) => {
        const given = request.headers[CORRELATION_ID_HEADER];
        const id = typeof given === 'string' && ACCEPTABLE_CORRELATION_ID.test(given) ? given : randomUUID();
        response.setHeader(CORRELATION_ID_HEADER, id);
        return id;
      },
      autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health' },
      quietReqLogger: true,
    },
    microservice:
      options.kind === 'microservice'
        ? {
            customAttributeKeys: { reqId: 'correlationId' },
            genReqId: (context) => {
              const payload = context.switchToRpc().getData() as { meta?: { correlationId?: unknown } } | undefined;
              const id = payload?.meta?.correlationId;
              return typeof id === 'string' ? id : randomUUID();
            },
            quietRpcLogger: true,
            customLogLevel: (_context, error) => messageLogLevel(error),
            customErrorObject: (_context, error, value) => messageErrorFields(error, value),
            customErrorMessage: (_context, error) => (expectedOutcomePayload(error) ? 'message refused' : 'message errored'),
          }
        : undefined,
  });
}

/**
 * The level of the line that closes a message: `debug` when it was handled, `info` when it was refused as the
 * contract says (not found, invalid, conflict), `warn` for a stale fence (a replica acted on an old view of a
 * deployment, which fencing stopped, but which says something about the cluster), `error` for bugs and outages.
 */
export function messageLogLevel(error: Error | undefined): LevelWithSilent {
  if (!error) return 'debug';
  const refusal = expectedOutcomePayload(error);
  if (!refusal) return 'error';
  return refusal.code === ErrorCode.StaleFencingToken ? 'warn' : 'info';
}

/**
 * The fields of the line that closes a message that threw: a refusal is an answer, not a failure, so its code,
 * message and details replace the error and its stack, which would only be noise.
 */
export function messageErrorFields(error: Error, fields: object): object {
  const refusal = expectedOutcomePayload(error);
  if (!refusal) return fields;
  const { err: _errorWithStack, ...rest } = fields as { err?: unknown };
  return { ...rest, refusal };
}
