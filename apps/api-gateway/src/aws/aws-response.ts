import type { Response } from 'express';
import type { AwsError } from './aws-errors.js';

/** The media type of the AWS JSON 1.1 protocol, in requests and answers. */
export const AWS_JSON_1_1 = 'application/x-amz-json-1.1';

/** The media type of the AWS JSON 1.0 protocol. */
export const AWS_JSON_1_0 = 'application/x-amz-json-1.0';

/** Every answer carries the request's id (the SDKs' `$metadata.requestId`) and the protocol's media type. */
export function sendAwsJson(response: Response, requestId: string, mediaType: string, status: number, body: object): void {
  response.status(status).setHeader('x-amzn-RequestId', requestId).setHeader('content-type', mediaType).send(JSON.stringify(body));
}

/** `{"__type": "<exception>", "message": "..."}`, the error body of the AWS JSON protocols (spec 5.4), with the error's headers. */
export function sendAwsError(response: Response, requestId: string, mediaType: string, error: AwsError): void {
  for (const [name, value] of Object.entries(error.headers ?? {})) response.setHeader(name, value);
  sendAwsJson(response, requestId, mediaType, error.status, { __type: error.name, message: error.message });
}
