import type { FaultRuleEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { InvalidParameter } from '../shared/domain-errors.js';
import { activeFaultRule, faultRuleDecider, type AddFaultRule } from './fault-rule.decider.js';
import { FaultRuleNotFound } from './fault-rule.errors.js';

const given = DeciderSpecification.for(faultRuleDecider);

describe('fault rule (emulator control)', () => {
  it('adds a rule with its image and rates', () => given([]).when(add()).then([added]));

  it('does nothing when the same rule is added again (a retried request)', () => given([added]).when(add()).thenNothingHappened());

  it('removes an active rule', () => given([added]).when(remove()).then([removed]));

  it('refuses to remove a rule that does not exist, or no longer does', () => {
    given([]).when(remove()).thenThrows(FaultRuleNotFound, (error) => expect(error.message).toBe(`Fault rule not found: ${faultId}`));
    given([added, removed]).when(remove()).thenThrows(FaultRuleNotFound);
  });

  it.each([
    ['daemonTaskStartFailureRate', { daemonTaskStartFailureRate: 1.5 }],
    ['daemonTaskStartFailureRate', { daemonTaskStartFailureRate: Number.NaN }],
    ['instanceProvisioningFailureRate', { instanceProvisioningFailureRate: -0.1 }],
    ['image', { image: '' }],
  ])('refuses an invalid %s, naming it', (field, change) =>
    given([]).when(add(change)).thenThrows(InvalidParameter, (error) => expect(error.details).toEqual({ field })));

  it('holds the rule while it is active, and nothing once removed', () => {
    expect(activeFaultRule(fold(faultRuleDecider, [added]))).toEqual({ ...added.data });
    expect(activeFaultRule(fold(faultRuleDecider, [added, removed]))).toBeUndefined();
    expect(activeFaultRule(fold(faultRuleDecider, []))).toBeUndefined();
  });
});

// Fixtures last.
const faultId = '0123456789abcdef0123456789abcdef';
const now = 1_742_040_000_000;
const image = 'public.ecr.aws/example/agent:2.0';
const add = (change: Partial<AddFaultRule['data']> = {}): AddFaultRule => ({
  type: 'AddFaultRule',
  data: { faultId, image, daemonTaskStartFailureRate: 0.5, instanceProvisioningFailureRate: 0, now, ...change },
});
const remove = () => ({ type: 'RemoveFaultRule', data: { faultId, now: now + 1_000 } }) as const;
const added: Extract<FaultRuleEvent, { type: 'FaultRuleAdded' }> = {
  type: 'FaultRuleAdded',
  data: { faultId, image, daemonTaskStartFailureRate: 0.5, instanceProvisioningFailureRate: 0, addedAt: now },
};
const removed: FaultRuleEvent = { type: 'FaultRuleRemoved', data: { faultId, removedAt: now + 1_000 } };
