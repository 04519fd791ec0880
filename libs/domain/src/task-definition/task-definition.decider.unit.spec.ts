import type { TaskDefinitionEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { InvalidParameter } from '../shared/domain-errors.js';
import { findTaskDefinition, resolveTaskDefinitionReference, taskDefinitionDecider, type RegisterTaskDefinition } from './task-definition.decider.js';

const given = DeciderSpecification.for(taskDefinitionDecider);

describe('RegisterTaskDefinition', () => {
  it('registers revision 1 of a new family', () => given([]).when(register()).then([registered(1)]));
  it('registers the next revision after the latest', () => given([registered(1), registered(2)]).when(register()).then([registered(3)]));
});

describe('finding a revision', () => {
  const family = fold(taskDefinitionDecider, [registered(1), registered(2)]);
  it('finds the named revision, the latest for a bare family, and nothing for one never registered', () => {
    expect(findTaskDefinition(family, 1)?.taskDefinitionArn).toBe(arn(1));
    expect(findTaskDefinition(family, undefined)?.taskDefinitionArn).toBe(arn(2));
    expect(findTaskDefinition(family, 3)).toBeUndefined();
    expect(findTaskDefinition(fold(taskDefinitionDecider, []), undefined)).toBeUndefined();
  });

  it('resolves family, family:revision and ARN references, and refuses a daemon task definition ARN', () => {
    expect(resolveTaskDefinitionReference('taskDefinition', 'web', scope)).toEqual({ scope, family: 'web' });
    expect(resolveTaskDefinitionReference('taskDefinition', 'web:2', scope)).toEqual({ scope, family: 'web', revision: 2 });
    expect(resolveTaskDefinitionReference('taskDefinition', arn(2), scope)).toEqual({ scope, family: 'web', revision: 2 });
    expect(() => resolveTaskDefinitionReference('taskDefinition', `${prefix}:daemon-task-definition/web:2`, scope)).toThrow(InvalidParameter);
    expect(() => resolveTaskDefinitionReference('taskDefinition', 'web:0', scope)).toThrow(InvalidParameter);
  });
});

// Fixtures last.
const scope = { accountId: '123456789012', region: 'us-east-1' };
const prefix = 'arn:aws:ecs:us-east-1:123456789012';
const now = 1_742_040_000_000;
const definition = { containerDefinitions: [{ name: 'web', image: 'nginx' }] };
const arn = (revision: number) => `${prefix}:task-definition/web:${revision}`;
const register = (): RegisterTaskDefinition => ({ type: 'RegisterTaskDefinition', data: { scope, family: 'web', definition, now } });
const registered = (revision: number): TaskDefinitionEvent => ({
  type: 'TaskDefinitionRegistered',
  data: { taskDefinitionArn: arn(revision), family: 'web', revision, definition, registeredAt: now },
});
