import type { ClassConstructor } from 'class-transformer';
import { parseInput } from '../aws-input.js';
import type { AwsOperation, AwsRequestContext } from '../aws-protocol.js';

/** Who asks, for which account and region (from the credential scope), and the meta their commands carry. */
export type EcsRequestContext = AwsRequestContext;

/** One ECS operation: the decoded body in, the answer's JSON object out. */
export type EcsOperation = AwsOperation;

/** A handler of some ECS operations, by name (`CreateDaemon`): the controller dispatches on the X-Amz-Target. */
export interface EcsOperationGroup {
  readonly operations: Readonly<Record<string, EcsOperation>>;
}

/** An operation whose body is validated as `dto` (InvalidParameterException otherwise) before `handle` runs. */
export function operation<T extends object>(name: string, dto: ClassConstructor<T>, handle: (input: T, context: EcsRequestContext) => Promise<object>): EcsOperation {
  return async (body, context) => handle(await parseInput(name, dto, body), context);
}

/** Signs a page's token for one operation in one account and region: a token is good for that listing only. */
export const pagedOperation = (name: string, { scope }: EcsRequestContext, ...parts: string[]) => [name, scope.accountId, scope.region, ...parts].join(' ');

/** A Describe call's entry for a resource it did not find (spec 2.0, decision 23): the waiters test `reason`. */
export const missing = (arn: string) => ({ arn, reason: 'MISSING' });

/** A reference that cannot name a resource names none: a Describe call reports it MISSING rather than failing. */
export function referenceOrNothing<T>(resolve: () => T): T | undefined {
  try {
    return resolve();
  } catch {
    return undefined;
  }
}
