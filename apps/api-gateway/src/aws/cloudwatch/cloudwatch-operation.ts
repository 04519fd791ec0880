import type { ClassConstructor } from 'class-transformer';
import { DomainError } from '@daemonfleet/domain';
import { AwsException } from '../aws-errors.js';
import { parseInput } from '../aws-input.js';
import type { AwsOperation, AwsRequestContext } from '../aws-protocol.js';

/** What an operation requires of its body before its DTO validates it. */
export interface BodyRules {
  /** Members that must be there (MissingRequiredParameterException); `MetricData[].MetricName` for each item of a list. */
  readonly required?: readonly string[];
  /** Checks of the raw body that come before the DTO's (combinations of members the DTO does not take). */
  readonly check?: (body: Record<string, unknown>) => void;
}

/**
 * An operation whose body must hold the required members, pass `check`, then validate as `dto`
 * (InvalidParameterValueException otherwise, a member daemonfleet does not take named as such) before `handle` runs.
 */
export function cloudWatchOperation<T extends object>(
  name: string,
  dto: ClassConstructor<T>,
  { required = [], check }: BodyRules,
  handle: (input: T, context: AwsRequestContext) => Promise<object>,
): AwsOperation {
  return async (body, context) => {
    for (const path of required) {
      const missing = missingMember(body, path.split('.'), '');
      if (missing) throw new AwsException('MissingRequiredParameterException', `The parameter ${missing} is required.`);
    }
    check?.(body);
    return handle(await parseInput(name, dto, body), context);
  };
}

/** Where a required member is absent (or null), by its path; a value of the wrong type is left for the DTO to refuse. */
function missingMember(value: unknown, [head, ...rest]: readonly string[], at: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const list = head.endsWith('[]');
  const name = list ? head.slice(0, -2) : head;
  const member = Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
  const path = at ? `${at}.${name}` : name;
  if (rest.length === 0) return member === undefined || member === null ? path : undefined;
  if (!list) return missingMember(member, rest, path);
  if (!Array.isArray(member)) return undefined;
  for (const [index, item] of member.entries()) {
    const missing = missingMember(item, rest, `${path}.${index}`);
    if (missing) return missing;
  }
  return undefined;
}

/** One page, as NextTokens gives it, a token it refuses being CloudWatch's InvalidNextToken. */
export function pageOrInvalidNextToken<R>(page: () => R): R {
  try {
    return page();
  } catch (error) {
    if (error instanceof DomainError && error.details?.field === 'nextToken') throw new AwsException('InvalidNextToken', 'The NextToken is not valid for this request');
    throw error;
  }
}

/** Signs a page's token for one operation in one account and region: a token is good for that listing only. */
export const pagedOperation = (name: string, { scope }: AwsRequestContext) => `CloudWatch ${name} ${scope.accountId} ${scope.region}`;

/** A handler of some CloudWatch operations, by name (`PutMetricAlarm`). */
export interface CloudWatchOperationGroup {
  readonly operations: Readonly<Record<string, AwsOperation>>;
}
