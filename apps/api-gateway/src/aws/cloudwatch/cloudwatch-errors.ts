import { Logger } from '@nestjs/common';
import { ErrorCode } from '@daemonfleet/contracts';
import { NoRespondersError, RequestTimeoutError, TransportError } from '@daemonfleet/messaging';
import { AwsException, type AwsError } from '../aws-errors.js';

/**
 * CloudWatch's exceptions the alarm operations answer with, as its model (@aws-sdk/client-cloudwatch 3.1164.0) has
 * them: the shape's name, the AWS Query code it keeps for query-compatible clients (awsQueryError) and its HTTP status.
 */
const EXCEPTIONS: Readonly<Record<string, { readonly queryCode: string; readonly status: number }>> = {
  InvalidParameterValueException: { queryCode: 'InvalidParameterValue', status: 400 },
  MissingRequiredParameterException: { queryCode: 'MissingParameter', status: 400 },
  InvalidParameterCombinationException: { queryCode: 'InvalidParameterCombination', status: 400 },
  InvalidNextToken: { queryCode: 'InvalidNextToken', status: 400 },
  InvalidFormatFault: { queryCode: 'InvalidFormat', status: 400 },
  ResourceNotFound: { queryCode: 'ResourceNotFound', status: 404 },
  InternalServiceFault: { queryCode: 'InternalServiceError', status: 500 },
};

const logger = new Logger('CloudWatchJsonProtocol');

/**
 * What a failed CloudWatch request answers. CloudWatch's JSON protocol is query-compatible: besides `__type` (the
 * shape's name), each error carries `x-amzn-query-error: <Query code>;<Sender|Receiver>`, from which the SDKs take
 * the code first (and set `Code` and `Type` on the exception). Invalid input is InvalidParameterValueException, an
 * alarm that does not exist ResourceNotFound (404, as the model says); transport failures and anything unexpected are
 * InternalServiceFault (500, which the SDKs retry), logged with their stack, without leaking their details. The
 * protocol's own errors (UnknownOperationException, SerializationException) keep their names, with status 400.
 */
export function cloudWatchErrorFor(exception: unknown): AwsError {
  if (exception instanceof AwsException) return answer(exception.exceptionName, exception.message);
  if (exception instanceof RequestTimeoutError || exception instanceof NoRespondersError || exception instanceof TransportError) {
    logger.error(`request failed: ${exception.message}`, exception.stack);
    return answer('InternalServiceFault', exception.message);
  }
  const { code, message, details } = (exception ?? {}) as { code?: unknown; message?: unknown; details?: { field?: unknown } };
  if (typeof code === 'string' && typeof message === 'string') {
    if (code === ErrorCode.InvalidParameter) return answer('InvalidParameterValueException', withWireField(message, details?.field));
    if (code === ErrorCode.AlarmNotFound) return answer('ResourceNotFound', message);
    if (code === ErrorCode.ServiceUnavailable || code === ErrorCode.ConcurrentModification) return answer('InternalServiceFault', message);
    logger.error(`request failed: ${code}: ${message}`, exception instanceof Error ? exception.stack : undefined);
    return answer('InternalServiceFault', 'The server failed to handle the request; see its logs');
  }
  logger.error(`request failed: ${exception instanceof Error ? exception.message : typeof exception}`, exception instanceof Error ? exception.stack : undefined);
  return answer('InternalServiceFault', 'The server failed to handle the request; see its logs');
}

function answer(name: string, message: string): AwsError {
  const known = Object.hasOwn(EXCEPTIONS, name) ? EXCEPTIONS[name] : undefined;
  const status = known?.status ?? 400;
  return { name, status, message, headers: { 'x-amzn-query-error': `${known?.queryCode ?? name};${status >= 500 ? 'Receiver' : 'Sender'}` } };
}

/**
 * The alarm monitor names fields as the REST API does (`metricData.0.timestamp: ...`); the wire's members are
 * PascalCase (`MetricData.0.Timestamp`), so a message that starts with its field names the wire's member instead.
 */
function withWireField(message: string, field: unknown): string {
  if (typeof field !== 'string' || !message.startsWith(field)) return message;
  const wire = field.replace(/(^|\.)([a-z])/g, (_match, dot: string, letter: string) => `${dot}${letter.toUpperCase()}`);
  return `${wire}${message.slice(field.length)}`;
}
