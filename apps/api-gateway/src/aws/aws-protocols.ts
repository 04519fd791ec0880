import type { AwsProtocol } from './aws-protocol.js';
import { CLOUDWATCH_PROTOCOL } from './cloudwatch/cloudwatch-protocol.js';
import { ECS_PROTOCOL } from './ecs/ecs-protocol.js';

/** The protocols the AWS endpoint speaks; the first answers requests whose target names none of them. */
export const AWS_PROTOCOLS: readonly AwsProtocol[] = [ECS_PROTOCOL, CLOUDWATCH_PROTOCOL];

/** The protocol an X-Amz-Target belongs to, by its prefix; ECS's for a missing or foreign one. */
export function awsProtocolFor(target: string | undefined): AwsProtocol {
  return AWS_PROTOCOLS.find((protocol) => target?.startsWith(protocol.targetPrefix)) ?? AWS_PROTOCOLS[0];
}
