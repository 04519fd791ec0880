import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { RequestValidationError } from '@daemonfleet/service-runtime';
import { awsProtocolFor } from './aws-protocols.js';
import { sendAwsError } from './aws-response.js';

/** The AWS protocols' endpoint: every operation is a POST to the root, named by its X-Amz-Target header. */
export const AWS_PATH = '/';

/** What the body reader leaves on a request to the AWS endpoint. */
export interface AwsRequest extends Request {
  awsRequestId?: string;
  /** The raw body, read in full; the controller decodes it (SerializationException when it is not a JSON object). */
  awsBody?: Buffer;
}

/**
 * Reads the body of every POST to the AWS endpoint, whatever its content type, before the REST API's JSON parser
 * sees it: bodies over `limitBytes` are refused before anything is parsed (by their Content-Length, or as soon as the
 * stream passes the limit), as an invalid parameter in the protocol the target names (400 InvalidParameterException
 * for ECS). Mount it ahead of the application's body parsers; it lets every other request through untouched.
 */
export function awsBodyReader(limitBytes: number) {
  return (request: AwsRequest, response: Response, next: NextFunction): void => {
    if (request.method !== 'POST' || request.path !== AWS_PATH) return next();
    const requestId = randomUUID();
    request.awsRequestId = requestId;
    const target = request.headers['x-amz-target'];
    const protocol = awsProtocolFor(typeof target === 'string' ? target : undefined);
    const refuse = () =>
      sendAwsError(response, requestId, protocol.mediaType, protocol.errorFor(new RequestValidationError('body', `The request body is over the size limit of ${limitBytes} bytes`)));
    if (Number(request.headers['content-length'] ?? 0) > limitBytes) return refuse();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limitBytes) {
        // The rest of the body is read and dropped by Node once the answer is sent, so the client gets it.
        refused = true;
        chunks.length = 0;
        refuse();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (refused) return;
      request.awsBody = Buffer.concat(chunks);
      next();
    });
    request.on('error', (error) => {
      if (!refused) next(error);
    });
  };
}
