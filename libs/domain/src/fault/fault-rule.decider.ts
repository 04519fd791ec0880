import type { EpochMillis, FaultRuleAdded, FaultRuleEvent, FaultRuleRemoved } from '@daemonfleet/contracts';
import { assertNever, type Decider } from '../shared/decider.js';
import { InvalidParameter } from '../shared/domain-errors.js';
import { FaultRuleNotFound } from './fault-rule.errors.js';

/**
 * Emulator control (stream `faultRule-<account>.<region>.<faultId>`): a rule makes the simulated fleet fail, at the
 * given rates, what runs a container image. Rates are probabilities from 0 to 1; the fleet draws against them.
 */
export interface FaultRule {
  readonly faultId: string;
  readonly image: string;
  readonly daemonTaskStartFailureRate: number;
  readonly instanceProvisioningFailureRate: number;
}

export type FaultRuleState =
  | { readonly status: 'NONE' }
  | ({ readonly status: 'ACTIVE'; readonly addedAt: EpochMillis } & FaultRule)
  | { readonly status: 'REMOVED'; readonly faultId: string };

/** The fault id is drawn by the app (32 hex digits, as a task id) and names the stream. */
export type AddFaultRule = { readonly type: 'AddFaultRule'; readonly data: FaultRule & { readonly now: EpochMillis } };
export type RemoveFaultRule = { readonly type: 'RemoveFaultRule'; readonly data: { readonly faultId: string; readonly now: EpochMillis } };
export type FaultRuleCommand = AddFaultRule | RemoveFaultRule;

/** A rule's stream is new for each rule (a fresh id): one that exists already is the same request again, a no-op. */
const addFaultRule = ({ data }: AddFaultRule, state: FaultRuleState): FaultRuleAdded[] => {
  if (state.status !== 'NONE') return [];
  const { faultId, image, daemonTaskStartFailureRate, instanceProvisioningFailureRate, now } = data;
  if (image.length === 0) throw new InvalidParameter('image', 'image: a container image is required');
  checkRate('daemonTaskStartFailureRate', daemonTaskStartFailureRate);
  checkRate('instanceProvisioningFailureRate', instanceProvisioningFailureRate);
  return [{ type: 'FaultRuleAdded', data: { faultId, image, daemonTaskStartFailureRate, instanceProvisioningFailureRate, addedAt: now } }];
};

const removeFaultRule = ({ data }: RemoveFaultRule, state: FaultRuleState): FaultRuleRemoved[] => {
  if (state.status !== 'ACTIVE') throw new FaultRuleNotFound(data.faultId);
  return [{ type: 'FaultRuleRemoved', data: { faultId: data.faultId, removedAt: data.now } }];
};

function checkRate(field: string, rate: number): void {
  if (!(Number.isFinite(rate) && rate >= 0 && rate <= 1)) throw new InvalidParameter(field, `${field}: ${rate} is not a probability from 0 to 1`);
}

export function evolveFaultRule(state: FaultRuleState, event: FaultRuleEvent): FaultRuleState {
  switch (event.type) {
    case 'FaultRuleAdded': {
      const { addedAt, ...rule } = event.data;
      return { status: 'ACTIVE', ...rule, addedAt };
    }
    case 'FaultRuleRemoved':
      return { status: 'REMOVED', faultId: event.data.faultId };
    default:
      return assertNever(event);
  }
}

export const faultRuleDecider: Decider<FaultRuleState, FaultRuleCommand, FaultRuleEvent> = {
  initialState: () => ({ status: 'NONE' }),
  evolve: evolveFaultRule,
  decide: (command, state) => {
    switch (command.type) {
      case 'AddFaultRule':
        return addFaultRule(command, state);
      case 'RemoveFaultRule':
        return removeFaultRule(command, state);
      default:
        return assertNever(command);
    }
  },
};

/** The rule a state holds, while it is active: what the fleet applies and the gateway lists. */
export function activeFaultRule(state: FaultRuleState): (FaultRule & { readonly addedAt: EpochMillis }) | undefined {
  if (state.status !== 'ACTIVE') return undefined;
  const { status: _status, ...rule } = state;
  return rule;
}
