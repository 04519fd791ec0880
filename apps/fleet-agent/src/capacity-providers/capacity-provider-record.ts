import type { CapacityProviderRecord } from '@daemonfleet/contracts';
import type { CapacityProviderState } from '@daemonfleet/domain';

/** What other services (and the service commands here) learn of a provider; undefined when it does not exist. */
export function capacityProviderRecord(state: CapacityProviderState): CapacityProviderRecord | undefined {
  if (state.status === 'NONE') return undefined;
  const { capacityProviderArn, name, type, clusterName } = state;
  return { capacityProviderArn, name, type, clusterName, status: 'ACTIVE' };
}
