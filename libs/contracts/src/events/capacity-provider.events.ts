import type { EpochMillis, Event, Tag } from './event.js';
import type { FleetEvent } from './fleet.events.js';

export type CapacityProviderType = 'MANAGED_INSTANCES' | 'EC2_AUTOSCALING';

export type CapacityProviderCreated = Event<
  'CapacityProviderCreated',
  {
    readonly capacityProviderArn: string;
    readonly name: string;
    readonly type: CapacityProviderType;
    /** The cluster a Managed Instances capacity provider belongs to; it can be used only there. */
    readonly clusterName: string | null;
    /** The provider's settings as they were given (launch template, roles...), kept for DescribeCapacityProviders. */
    readonly managedInstancesProvider: Record<string, unknown> | null;
    readonly autoScalingGroupProvider: Record<string, unknown> | null;
    readonly tags: readonly Tag[];
    readonly createdAt: EpochMillis;
  }
>;

/** The provider's stream also holds its instances' events (docs/rollout.md). */
export type CapacityProviderEvent = CapacityProviderCreated | FleetEvent;
