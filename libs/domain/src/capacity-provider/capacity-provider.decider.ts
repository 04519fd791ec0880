import type { CapacityProviderCreated, CapacityProviderEvent, CapacityProviderType, EpochMillis, Scope, Tag } from '@daemonfleet/contracts';
import { Arns } from '../shared/arns.js';
import { assertNever, type Decider } from '../shared/decider.js';
import { evolveFleet, initialFleetState, type FleetState } from '../fleet/fleet.state.js';
import { CapacityProviderAlreadyExists, ClusterNotFound } from '../shared/domain-errors.js';

/** The provider and its instances (docs/rollout.md); the fleet part changes in place (see FleetState). */
export type CapacityProviderState =
  | { readonly status: 'NONE' }
  | ({ readonly status: 'ACTIVE'; readonly fleet: FleetState } & CapacityProviderCreated['data']);

export type CreateCapacityProvider = {
  readonly type: 'CreateCapacityProvider';
  readonly data: {
    readonly scope: Scope;
    readonly name: string;
    readonly provider:
      | { readonly type: Extract<CapacityProviderType, 'MANAGED_INSTANCES'>; readonly settings: Record<string, unknown>; readonly clusterName: string }
      | { readonly type: Extract<CapacityProviderType, 'EC2_AUTOSCALING'>; readonly settings: Record<string, unknown> };
    /** Looked up by the caller: whether the Managed Instances provider's cluster exists. */
    readonly clusterExists: boolean;
    readonly tags: readonly Tag[];
    readonly now: EpochMillis;
  };
};
export type CapacityProviderCommand = CreateCapacityProvider;

const createCapacityProvider = ({ data }: CreateCapacityProvider, state: CapacityProviderState): CapacityProviderCreated[] => {
  if (state.status === 'ACTIVE') throw new CapacityProviderAlreadyExists(data.name);
  const { provider } = data;
  if (provider.type === 'MANAGED_INSTANCES' && !data.clusterExists) throw new ClusterNotFound(provider.clusterName);
  return [
    {
      type: 'CapacityProviderCreated',
      data: {
        capacityProviderArn: Arns.capacityProvider(data.scope, data.name),
        name: data.name,
        type: provider.type,
        clusterName: provider.type === 'MANAGED_INSTANCES' ? provider.clusterName : null,
        managedInstancesProvider: provider.type === 'MANAGED_INSTANCES' ? provider.settings : null,
        autoScalingGroupProvider: provider.type === 'EC2_AUTOSCALING' ? provider.settings : null,
        tags: data.tags,
        createdAt: data.now,
      },
    },
  ];
};

export const capacityProviderDecider: Decider<CapacityProviderState, CapacityProviderCommand, CapacityProviderEvent> = {
  initialState: () => ({ status: 'NONE' }),
  evolve: (state, event) => {
    if (event.type === 'CapacityProviderCreated') return { status: 'ACTIVE', ...event.data, fleet: initialFleetState() };
    if (state.status === 'ACTIVE') evolveFleet(state.fleet, event);
    return state;
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateCapacityProvider':
        return createCapacityProvider(command, state);
      default:
        return assertNever(command.type);
    }
  },
};
