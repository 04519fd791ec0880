import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EcsSystem } from './ecs-system.js';

/** A running daemonfleet as the CloudWatch scenarios see it: an ECS and a CloudWatch client on its gateway. */
export interface CloudWatchSystem extends EcsSystem {
  readonly cloudWatch: CloudWatchClient;
}
