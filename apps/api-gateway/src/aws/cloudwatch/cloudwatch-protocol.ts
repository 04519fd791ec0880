import type { IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { RequestValidationError } from '@daemonfleet/service-runtime';
import { AwsException } from '../aws-errors.js';
import { decodeBody } from '../aws-input.js';
import type { AwsProtocol } from '../aws-protocol.js';
import { AWS_JSON_1_0 } from '../aws-response.js';
import { cloudWatchErrorFor } from './cloudwatch-errors.js';

/** CloudWatch takes request bodies of up to 1 MB; a compressed one may not inflate past that either. */
export const MAX_INFLATED_BYTES = 1024 * 1024;

/** The 32-bit Integers among the members CloudWatch's alarm operations take; every other number is a Double. */
const INTEGER_MEMBERS = new Set(['Period', 'EvaluationPeriods', 'DatapointsToAlarm', 'MaxRecords', 'StorageResolution', 'EvaluationInterval']);

/**
 * CloudWatch's protocol, AWS JSON 1.0 (client-cloudwatch 3.1164.0: `AwsJson1_0Protocol`, target
 * `GraniteServiceVersion20100801`, query-compatible). PutMetricData has the model's request compression: the SDK
 * gzips its bodies from 10 KiB on (`Content-Encoding: gzip`), so such bodies are inflated, within the limit.
 */
export const CLOUDWATCH_PROTOCOL: AwsProtocol = {
  targetPrefix: 'GraniteServiceVersion20100801.',
  mediaType: AWS_JSON_1_0,
  decode: (raw, headers) => decodeBody(inflated(raw, headers), (key) => INTEGER_MEMBERS.has(key)),
  errorFor: cloudWatchErrorFor,
};

/** The body with its content codings undone (the last applied first); only gzip (and identity) are known. */
function inflated(raw: Buffer, headers: IncomingHttpHeaders): Buffer {
  const codings = (headers['content-encoding'] ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  return codings.reduceRight((body, coding) => {
    if (coding !== 'gzip') throw new AwsException('SerializationException', `The content coding ${coding.slice(0, 64)} is not supported; gzip is`);
    try {
      return gunzipSync(body, { maxOutputLength: MAX_INFLATED_BYTES });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new RequestValidationError('body', `The request body inflates past the size limit of ${MAX_INFLATED_BYTES} bytes`);
      throw new AwsException('SerializationException', 'The request body is not valid gzip');
    }
  }, raw);
}
