import type { CapacityProviderCreated, CapacityProviderEvent } from '@daemonfleet/contracts';
import { evolveFleet, initialFleetState, type FleetState } from '../fleet/fleet.state.js';
import { CapacityProviderNotFound } from '../shared/domain-errors.js';
import { appTasksTouchedBy, emptyFleetIndex, indexFleetEvent, type FleetIndex } from './fleet-index.js';

export type ActiveCapacityProvider = { readonly status: 'ACTIVE'; readonly fleet: FleetState; readonly index: FleetIndex } & CapacityProviderCreated['data'];

/** The provider and its instances (docs/rollout.md). The fleet and its index change in place (see FleetState). */
export type CapacityProviderState = { readonly status: 'NONE' } | ActiveCapacityProvider;

export const initialCapacityProviderState = (): CapacityProviderState => ({ status: 'NONE' });

export function evolveCapacityProvider(state: CapacityProviderState, event: CapacityProviderEvent): CapacityProviderState {
  if (event.type === 'CapacityProviderCreated') return { status: 'ACTIVE', ...event.data, fleet: initialFleetState(), index: emptyFleetIndex() };
  if (state.status === 'ACTIVE') {
    // A fence names no instance: the index has nothing to update.
    if (event.type === 'DeploymentFenceAdvanced') {
      evolveFleet(state.fleet, event);
      return state;
    }
    const touched = appTasksTouchedBy(state.fleet, event);
    evolveFleet(state.fleet, event);
    indexFleetEvent(state.index, state.fleet, event, touched);
  }
  return state;
}

/** The provider a fleet command names, which must exist; `reference` is how the caller named it. */
export function requireProvider(state: CapacityProviderState, reference: string): ActiveCapacityProvider {
  if (state.status !== 'ACTIVE') throw new CapacityProviderNotFound(reference);
  return state;
}
