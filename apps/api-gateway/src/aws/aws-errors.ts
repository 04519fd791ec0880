import { Logger } from '@nestjs/common';
import { NoRespondersError, RequestTimeoutError, TransportError } from '@daemonfleet/messaging';
import { ecsErrorFor, PathResourceNotFound } from '../http/ecs-errors.js';

/** An error the AWS protocols answer by its exception name, raised at the edge (not by a service's rule). */
export class AwsException extends Error {
  constructor(
    readonly exceptionName: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AwsError {
  readonly name: string;
  /**
   * A 4xx for a client error, 5xx for a server error (the SDKs retry those, never a 4xx). ECS answers 400 for every
   * client error and 500 for ServerException only (spec 5.4); CloudWatch's model gives each exception its own.
   */
  readonly status: number;
  readonly message: string;
  /** Headers the protocol adds to the error answer. */
  readonly headers?: Readonly<Record<string, string>>;
}

const logger = new Logger('AwsJsonProtocol');

/**
 * What a failed AWS request answers. Client errors keep ECS's names with 400 (a resource the REST API would answer
 * 404 for is a 400 here); transport failures and anything unexpected are ServerException with 500, logged with
 * their stack, without leaking their details.
 */
export function awsErrorFor(exception: unknown): AwsError {
  if (exception instanceof AwsException) return { name: exception.exceptionName, status: 400, message: exception.message };
  if (exception instanceof PathResourceNotFound) return { name: exception.ecsName, status: 400, message: exception.message };
  if (exception instanceof RequestTimeoutError || exception instanceof NoRespondersError || exception instanceof TransportError) {
    logger.error(`request failed: ${exception.message}`, exception.stack);
    return { name: 'ServerException', status: 500, message: exception.message };
  }
  const { code, message } = (exception ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && typeof message === 'string') {
    const error = ecsErrorFor(code, message);
    if (error.status < 500) return { name: error.name, status: 400, message: error.message };
    logger.error(`request failed: ${code}: ${message}`, exception instanceof Error ? exception.stack : undefined);
    return { name: 'ServerException', status: 500, message: error.message };
  }
  logger.error(`request failed: ${exception instanceof Error ? exception.message : typeof exception}`, exception instanceof Error ? exception.stack : undefined);
  return { name: 'ServerException', status: 500, message: 'The server failed to handle the request; see its logs' };
}
