import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ErrorCode } from '@daemonfleet/contracts';

/** A request did not pass its DTO's rules. Carries the path of the first offending field. */
export class RequestValidationError extends Error {
  readonly code = ErrorCode.InvalidParameter;
  readonly details: { field: string };
  constructor(field: string, message: string) {
    super(message);
    this.name = 'RequestValidationError';
    this.details = { field };
  }
}

/** The first failed rule, depth first, with its full property path (`deploymentConfiguration.drainPercent`). */
export function firstValidationFailure(errors: readonly ValidationError[], parentPath = ''): { field: string; message: string } | undefined {
  for (const error of errors) {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    const constraint = Object.values(error.constraints ?? {})[0];
    if (constraint) {
      // class-validator names the property alone; name it with its full path instead.
      const message = constraint.startsWith(error.property)
        ? `${field}${constraint.slice(error.property.length)}`
        : constraint.startsWith(`property ${error.property} `)
          ? `property ${field}${constraint.slice(`property ${error.property}`.length)}`
          : `${field}: ${constraint}`;
      return { field, message };
    }
    const nested = firstValidationFailure(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * Every entry point validates with this: unknown fields are rejected (whitelist + forbidNonWhitelisted),
 * payloads become DTO instances, and a failure names the offending field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const failure = firstValidationFailure(errors) ?? { field: 'body', message: 'the request is not valid' };
      return new RequestValidationError(failure.field, failure.message);
    },
  });
}
