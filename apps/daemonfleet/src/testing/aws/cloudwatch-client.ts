import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EcsClientOptions } from './ecs-client.js';

/**
 * The official CloudWatch client, unchanged, pointed at a daemonfleet gateway as a user would (`endpoint`). No retries:
 * a test must see every answer as it was given.
 */
export function cloudWatchClient(url: string, { region = 'us-east-1', accessKeyId = 'test' }: EcsClientOptions = {}): CloudWatchClient {
  return new CloudWatchClient({ region, endpoint: url, credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** The waiters' fastest polling: every second (the SDK wants maxWaitTime above minDelay). */
export const fastCloudWatchWaiter = (client: CloudWatchClient, maxWaitTime = 30) => ({ client, minDelay: 1, maxDelay: 1, maxWaitTime });

/** The CloudWatch error a failed call threw: the SDK's query-compatible `Code` and `Type` beside the usual members. */
export async function cloudWatchFailureOf(call: Promise<unknown>): Promise<{
  name: string;
  message: string;
  $fault: string;
  Code?: string;
  Type?: string;
  $metadata: { httpStatusCode?: number; requestId?: string };
}> {
  try {
    await call;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail');
}
