import type { EpochMillis, InstanceLaunchReason, InstanceProvisioningStarted } from '@daemonfleet/contracts';
import { InvalidParameter } from '../shared/domain-errors.js';
import { requireProvider, type CapacityProviderState } from './capacity-provider.state.js';
import { fleetContext, instanceProvisioned, plannedDaemonsFor, type DaemonPlacement, type FleetIds, type FleetTimings } from './fleet-simulation.js';

/** The emulator's control (and nothing else in ECS): new instances in the provider, each with every placed daemon. */
export type AddInstances = {
  readonly type: 'AddInstances';
  readonly data: {
    /** The provider as the caller named it, for the error when it does not exist. */
    readonly capacityProvider: string;
    readonly count: number;
    readonly reason: Exclude<InstanceLaunchReason, 'REPLACEMENT'>;
    readonly placements: readonly DaemonPlacement[];
    readonly timings: FleetTimings;
    readonly now: EpochMillis;
    readonly ids: FleetIds;
  };
};

export function addInstances({ data }: AddInstances, state: CapacityProviderState): InstanceProvisioningStarted[] {
  const provider = requireProvider(state, data.capacityProvider);
  if (!Number.isInteger(data.count) || data.count < 1) throw new InvalidParameter('count', `count: ${data.count} is not a whole number of 1 or more`);
  const context = fleetContext(provider, 'capacityProvider');
  const daemons = plannedDaemonsFor(provider.capacityProviderArn, data.placements);
  const { reason, now, timings, ids } = data;
  return Array.from({ length: data.count }, () =>
    instanceProvisioned(context, { reason, replacesInstanceId: null, deploymentId: null, daemons, now, timings, ids }),
  );
}
