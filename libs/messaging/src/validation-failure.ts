import { ErrorCode, type ErrorPayload } from '@daemonfleet/contracts';
import { BadRequestException } from '@nestjs/common';

/**
 * Maps the `BadRequestException` of a `ValidationPipe` to `INVALID_PARAMETER`, with the first constraint message
 * and `details.field`, the path of the offending property. Other exceptions give `undefined`.
 *
 * With `errorFormat: 'grouped'` the pipe keys its messages by property path, so the field is exact. With the
 * default `'list'` format only messages arrive, and the field is read from class-validator's default wording
 * (`"<path> must be …"`, `"property <name> should not exist"`, `"each value in <path> …"`, with Nest prefixing
 * the parent path of nested errors). A custom message that does not start with the property yields a wrong or no
 * field, so prefer `'grouped'` where it matters.
 */
export function invalidParameterPayload(exception: unknown): ErrorPayload | undefined {
  if (!(exception instanceof BadRequestException)) return undefined;
  const response = exception.getResponse();
  const messages = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;

  if (Array.isArray(messages) && typeof messages[0] === 'string') return invalid(messages[0], fieldNamedIn(messages[0]));
  if (typeof messages === 'object' && messages !== null) {
    const [first] = Object.entries(messages as Record<string, unknown>);
    if (first && Array.isArray(first[1]) && typeof first[1][0] === 'string') return invalid(first[1][0], first[0]);
  }
  return invalid(typeof messages === 'string' ? messages : exception.message, undefined);
}

function invalid(message: string, field: string | undefined): ErrorPayload {
  return { code: ErrorCode.InvalidParameter, message, ...(field === undefined ? {} : { details: { field } }) };
}

const NOT_WHITELISTED = /^((?:[\w$]+\.)*)property ([\w$]+) should not exist$/;
const LEADING_PROPERTY = /^((?:[\w$]+\.)*)(?:each value in )?(?:nested property )?([\w$]+) /;

function fieldNamedIn(message: string): string | undefined {
  const match = NOT_WHITELISTED.exec(message) ?? LEADING_PROPERTY.exec(message);
  return match ? `${match[1]}${match[2]}` : undefined;
}
