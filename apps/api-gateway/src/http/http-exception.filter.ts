import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { TransportError, NoRespondersError, RequestTimeoutError } from '@daemonfleet/messaging';
import { ecsErrorFor, PathResourceNotFound, type EcsError } from './ecs-errors.js';

/**
 * Every failed HTTP request answers `{ "__type": "<ECS exception name>", "message": "..." }`, the body the AWS
 * JSON protocols use, with the status that goes with it. Unexpected failures are logged with their stack.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = this.toEcsError(exception);
    if (error.status >= 500) this.logger.error(`request failed: ${describe(exception)}`, exception instanceof Error ? exception.stack : undefined);
    host.switchToHttp().getResponse<Response>().status(error.status).json({ __type: error.name, message: error.message });
  }

  private toEcsError(exception: unknown): EcsError {
    if (exception instanceof PathResourceNotFound) return { name: exception.ecsName, status: HttpStatus.NOT_FOUND, message: exception.message };
    if (exception instanceof RequestTimeoutError || exception instanceof NoRespondersError || exception instanceof TransportError)
      return { name: 'ServerException', status: HttpStatus.SERVICE_UNAVAILABLE, message: exception.message };
    if (exception instanceof HttpException) return fromHttpException(exception);
    const bodyError = fromBodyParserError(exception);
    if (bodyError) return bodyError;
    const { code, message } = (exception ?? {}) as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && typeof message === 'string') return ecsErrorFor(code, message);
    return ecsErrorFor('INTERNAL', describe(exception));
  }
}

/** Errors Nest and Express raise before a handler runs: unknown routes, unreadable or oversized bodies. */
function fromHttpException(exception: HttpException): EcsError {
  const status = exception.getStatus();
  const message = exception.message;
  if (status === HttpStatus.NOT_FOUND) return { name: 'UnknownOperationException', status, message };
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) return { name: 'InvalidParameterException', status, message: 'The request body is over the size limit' };
  if (status === HttpStatus.BAD_REQUEST) return { name: 'SerializationException', status, message };
  if (status < 500) return { name: 'ClientException', status, message };
  return { name: 'ServerException', status, message };
}

/** Express's body parser fails with errors of its own, marked by `type`. */
function fromBodyParserError(exception: unknown): EcsError | undefined {
  const type = (exception as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return { name: 'SerializationException', status: HttpStatus.BAD_REQUEST, message: 'The request body is not valid JSON' };
  if (type === 'entity.too.large') return { name: 'InvalidParameterException', status: HttpStatus.PAYLOAD_TOO_LARGE, message: 'The request body is over the size limit' };
  return undefined;
}

function describe(exception: unknown): string {
  if (exception instanceof Error) return exception.message;
  try {
    return String(exception);
  } catch {
    // An object without a usable toString (e.g. one with a null prototype): the filter itself must not throw.
    return Object.prototype.toString.call(exception);
  }
}
