import type { CapacityProviderCreated, CapacityProviderEvent, CapacityProviderType, EpochMillis, Scope, Tag } from '@daemonfleet/contracts';
import { Arns } from '../shared/arns.js';
import { assertNever, type Decider } from '../shared/decider.js';
import { CapacityProviderAlreadyExists, ClusterNotFound } from '../shared/domain-errors.js';
import { addInstances, type AddInstances } from './add-instances.js';
import { advanceFleet, type AdvanceFleet } from './advance-fleet.js';
import { evolveCapacityProvider, initialCapacityProviderState, type CapacityProviderState } from './capacity-provider.state.js';
import { adoptDaemonTasks, startInstanceDrains, type AdoptDaemonTasks, type StartInstanceDrains } from './instance-drains.js';
import { placeServiceTasks, stopServiceTasks, type PlaceServiceTasks, type StopServiceTasks } from './service-tasks.js';


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

/** The provider's own command, and the simulated fleet's: every change to its instances goes through its stream. */
export type CapacityProviderCommand =
  | CreateCapacityProvider
  | AddInstances
  | AdvanceFleet
  | StartInstanceDrains
  | AdoptDaemonTasks
  | PlaceServiceTasks
  | StopServiceTasks;

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
  initialState: initialCapacityProviderState,
  evolve: evolveCapacityProvider,
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateCapacityProvider':
        return createCapacityProvider(command, state);
      case 'AddInstances':
        return addInstances(command, state);
      case 'AdvanceFleet':
        return advanceFleet(command, state);
      case 'StartInstanceDrains':
        return startInstanceDrains(command, state);
      case 'AdoptDaemonTasks':
        return adoptDaemonTasks(command, state);
      case 'PlaceServiceTasks':
        return placeServiceTasks(command, state);
      case 'StopServiceTasks':
        return stopServiceTasks(command, state);
      default:
        return assertNever(command);
    }
  },
};
