import { ECSClient } from '@aws-sdk/client-ecs';

/** Dummy credentials: `test` takes the configured default account; a 12-digit key id is that account. */
export interface EcsClientOptions {
  readonly region?: string;
  readonly accessKeyId?: string;
}

/**
 * The official ECS client, unchanged, pointed at a daemonfleet gateway as a user would (`endpoint`). No retries:
 * a test must see every answer as it was given.
 */
export function ecsClient(url: string, { region = 'us-east-1', accessKeyId = 'test' }: EcsClientOptions = {}): ECSClient {
  return new ECSClient({ region, endpoint: url, credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** The waiters' fastest polling: every second (the SDK wants maxWaitTime above minDelay). */
export const fastWaiter = (client: ECSClient, maxWaitTime = 60) => ({ client, minDelay: 1, maxDelay: 1, maxWaitTime });

/** The error a failed call threw, for assertions on its name, message and metadata. */
export async function failureOf(call: Promise<unknown>): Promise<{ name: string; message: string; $fault: string; $metadata: { httpStatusCode?: number; requestId?: string } }> {
  try {
    await call;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail');
}
