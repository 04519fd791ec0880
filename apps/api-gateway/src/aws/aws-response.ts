import type { Response } from 'express';
import type { AwsError } from './aws-errors.js';

/** The media type of the AWS JSON 1.1 protocol, in requests and answers. */
export const AWS_JSON_1_1 = 'application/x-amz-json-1.1';

/** Every answer carries the request's id (the SDKs' `$metadata.requestId`) and the protocol's media type. */
export function sendAwsJson(response: Response, requestId: string, status: number, body: object): void {
  response.status(status).setHeader('x-amzn-RequestId', requestId).setHeader('content-type', AWS_JSON_1_1).send(JSON.stringify(body));
}

/** `{"__type": "<exception>", "message": "..."}`, the error body of the AWS JSON protocols (spec 5.4). */
export function sendAwsError(response: Response, requestId: string, error: AwsError): void {
  sendAwsJson(response, requestId, error.status, { __type: error.name, message: error.message });
}
