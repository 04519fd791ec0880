import { ErrorCode, type ErrorPayload } from '@daemonfleet/contracts';
import { BadRequestException, Catch, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import { invalidParameterPayload } from './validation-failure.js';

/**
 * Turns whatever a message handler throws into the `{ code, message, details? }` that `RpcClient` rethrows as a
 * `RemoteError`, identically on every transport. Install it on each service with `app.useGlobalFilters`.
 *
 * - Our typed errors (a string `code`, optionally a `details` object) go out as they are: they are expected
 *   outcomes, not logged. An `RpcException` whose error is such an object counts as one.
 * - A `BadRequestException` (what `ValidationPipe` throws) becomes `INVALID_PARAMETER`, naming the field.
 * - Anything else is a bug or an outage: `INTERNAL` with the error's message, logged here with its stack.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown, never> {
  private readonly logger = new Logger(RpcErrorFilter.name);

  catch(exception: unknown): Observable<never> {
    const expected = expectedOutcomePayload(exception);
    if (expected) return throwError(() => expected);

    const message = exception instanceof Error ? exception.message : String(exception);
    this.logger.error(`handler failed: ${message}`, exception instanceof Error ? exception.stack : undefined);
    return throwError((): ErrorPayload => ({ code: ErrorCode.Internal, message }));
  }
}

/**
 * What a handler's exception answers when it is an expected outcome (one of our typed errors, or a validation
 * failure), or `undefined` when it is a bug or an outage. Loggers use it too, to keep refusals out of the errors.
 */
export function expectedOutcomePayload(exception: unknown): ErrorPayload | undefined {
  return typedErrorPayload(exception) ?? invalidParameterPayload(exception);
}

function typedErrorPayload(exception: unknown): ErrorPayload | undefined {
  const error = exception instanceof RpcException ? exception.getError() : exception;
  if (typeof error !== 'object' || error === null || exception instanceof BadRequestException) return undefined;
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof code !== 'string' || isInfrastructureError(error, code)) return undefined;
  return {
    code,
    message: typeof message === 'string' ? message : code,
    ...(isPlainRecord(details) ? { details } : {}),
  };
}

/**
 * Node's and SQLite's errors carry string codes too (`ECONNREFUSED`, `ERR_INVALID_ARG_TYPE`, `ABORT_ERR`,
 * `SQLITE_BUSY`), but they are outages or bugs, not answers: they must be logged and reported as `INTERNAL`.
 */
function isInfrastructureError(error: object, code: string): boolean {
  return 'errno' in error || 'syscall' in error || /^(ERR_|SQLITE_)/.test(code) || code === 'ABORT_ERR';
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
