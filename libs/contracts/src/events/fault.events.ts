import type { EpochMillis, Event } from './event.js';

/**
 * Emulator control: faults injected into the simulated fleet (stream `faultRule-<account>.<region>.<id>`).
 * A daemon task whose task definition runs a matching image fails to start at `daemonTaskStartFailureRate`; an
 * instance launched for it fails to provision at `instanceProvisioningFailureRate`.
 */
export type FaultRuleAdded = Event<
  'FaultRuleAdded',
  {
    readonly faultId: string;
    readonly image: string;
    readonly daemonTaskStartFailureRate: number;
    readonly instanceProvisioningFailureRate: number;
    readonly addedAt: EpochMillis;
  }
>;

export type FaultRuleRemoved = Event<'FaultRuleRemoved', { readonly faultId: string; readonly removedAt: EpochMillis }>;

export type FaultRuleEvent = FaultRuleAdded | FaultRuleRemoved;
