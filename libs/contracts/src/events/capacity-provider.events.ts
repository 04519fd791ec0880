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

/**
 * The provider's fleet accepted a command of a deployment at a newer fence (the deployment's stream version) that
 * drained and adopted nothing: every instance it named drains or counts for the target already, or is gone. The
 * fleet records it all the same, so the fence of a deployment at the fleet only moves forward and any later command
 * with a lower fence is refused. A command that drains or adopts records its fence on those events instead.
 */
export type DeploymentFenceAdvanced = Event<
  'DeploymentFenceAdvanced',
  { readonly deploymentId: string; readonly fence: number; readonly advancedAt: EpochMillis }
>;

/** The provider's stream also holds its instances' events and the deployments' fences (docs/rollout.md). */
export type CapacityProviderEvent = CapacityProviderCreated | DeploymentFenceAdvanced | FleetEvent;
