import type { DynamicModule } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
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
            useLevel: 'debug',
          }
        : undefined,
  });
}
