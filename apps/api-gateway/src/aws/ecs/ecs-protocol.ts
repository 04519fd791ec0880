import { awsErrorFor } from '../aws-errors.js';
import { decodeBody } from '../aws-input.js';
import type { AwsProtocol } from '../aws-protocol.js';
import { AWS_JSON_1_1 } from '../aws-response.js';

/** ECS's protocol, AWS JSON 1.1 (spec 5): errors by ECS's exception names, 400, or 500 for ServerException. */
export const ECS_PROTOCOL: AwsProtocol = {
  targetPrefix: 'AmazonEC2ContainerServiceV20141113.',
  mediaType: AWS_JSON_1_1,
  decode: (raw) => decodeBody(raw),
  errorFor: awsErrorFor,
};
