import { AwsJsonController } from './aws-json.controller.js';
import { CLOUDWATCH_OPERATION_GROUPS, CloudWatchOperations } from './cloudwatch/cloudwatch-operations.js';
import { ECS_OPERATION_GROUPS, EcsOperations } from './ecs/ecs-operations.js';

/** What the gateway module registers for the AWS protocols. */
export const AWS_CONTROLLERS = [AwsJsonController];
export const AWS_PROVIDERS = [EcsOperations, ...ECS_OPERATION_GROUPS, CloudWatchOperations, ...CLOUDWATCH_OPERATION_GROUPS];
