import type { ClassConstructor } from 'class-transformer';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { createValidationPipe, RequestValidationError } from '@daemonfleet/service-runtime';
import { AwsException } from './aws-errors.js';

const pipe = createValidationPipe();

/** Member names JSON allows but no request of ours has, which would reach object internals if copied. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The numbers of the ECS model are 32-bit Integers, except these members' (a Double, and the timestamps of
 * ListDaemonDeployments' createdAt filter), which the request DTOs bound.
 */
const ECS_NON_INTEGER_MEMBERS = new Set(['drainPercent', 'after', 'before']);
const isEcsInteger = (key: string) => !ECS_NON_INTEGER_MEMBERS.has(key);
const INT32 = 2 ** 31;

/** Refuses, as the protocol's deserializer would, what no member can hold; returns the value otherwise. */
function memberChecker(isInteger: (key: string) => boolean) {
  return (key: string, value: unknown): unknown => {
    if (RESERVED_NAMES.has(key)) throw new AwsException('SerializationException', `The member name ${key} is not allowed`);
    if (typeof value !== 'number') return value;
    if (!Number.isFinite(value)) throw new AwsException('SerializationException', `${key}: the number is out of range`);
    if (isInteger(key) && (value < -INT32 || value >= INT32)) throw new AwsException('SerializationException', `${key}: ${value} is out of the range of an Integer`);
    return value;
  };
}

/**
 * The request body as a JSON object: an empty body is `{}` (curl sends none), anything that is not a JSON object,
 * or that holds a number no member can take, is a SerializationException, as AWS answers an unreadable body.
 * `isInteger` tells which members (by name; a list's items by index) are the model's 32-bit Integers: ECS's by default.
 */
export function decodeBody(raw: Buffer, isInteger: (key: string) => boolean = isEcsInteger): Record<string, unknown> {
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw), memberChecker(isInteger));
  } catch (error) {
    if (error instanceof AwsException) throw error;
    throw new AwsException('SerializationException', 'The request body is not valid UTF-8 JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AwsException('SerializationException', 'The request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * The body as the operation's request DTO, validated as the REST API validates (every entry point has the same
 * rules). A member of the ECS model that daemonfleet does not take is named as such rather than as unknown.
 */
export async function parseInput<T extends object>(operation: string, dto: ClassConstructor<T>, body: Record<string, unknown>): Promise<T> {
  try {
    const input = (await pipe.transform(body, { type: 'body', metatype: dto })) as T;
    checkStructures(input);
    return input;
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error;
    const unknown = /^property (\S+) should not exist$/.exec(error.message);
    if (unknown) throw new RequestValidationError(unknown[1], `${unknown[1]}: ${operation} in daemonfleet does not take this member`);
    throw error;
  }
}

/**
 * Where the model has a structure (or a list of them), the JSON must hold an object (or a list of objects).
 * class-validator's nested validation lets a list through in place of an object (`[[]]` for a list of containers
 * validates: the inner list has no property to check), which the protocol's deserializer would refuse.
 */
function checkStructures(instance: object, path = ''): void {
  const nested = getMetadataStorage()
    .getTargetValidationMetadatas(instance.constructor, '', true, false)
    .filter((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION);
  for (const { propertyName, each } of nested) {
    const value = (instance as Record<string, unknown>)[propertyName];
    if (value === undefined || value === null) continue;
    const field = path ? `${path}.${propertyName}` : propertyName;
    const items: unknown[] = each && Array.isArray(value) ? value : [value];
    items.forEach((item, index) => {
      const itemField = each ? `${field}.${index}` : field;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new AwsException('SerializationException', `${itemField}: expected a structure`);
      checkStructures(item, itemField);
    });
  }
}
