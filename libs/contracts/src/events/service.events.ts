import type { EpochMillis, Event, Tag } from './event.js';

export interface CapacityProviderStrategyItem {
  readonly capacityProviderArn: string;
  readonly weight: number;
  readonly base: number;
}

export type ServiceCreated = Event<
  'ServiceCreated',
  {
    readonly serviceArn: string;
    readonly serviceName: string;
    readonly clusterArn: string;
    readonly taskDefinitionArn: string;
    readonly desiredCount: number;
    readonly capacityProviderStrategy: readonly CapacityProviderStrategyItem[];
    readonly tags: readonly Tag[];
    readonly createdAt: EpochMillis;
  }
>;

export type ServiceDesiredCountSet = Event<'ServiceDesiredCountSet', { readonly desiredCount: number; readonly updatedAt: EpochMillis }>;

/** DeleteService: the service is DRAINING, its tasks stop; then it is INACTIVE. */
export type ServiceDeletionStarted = Event<'ServiceDeletionStarted', { readonly startedAt: EpochMillis }>;
export type ServiceDeleted = Event<'ServiceDeleted', { readonly deletedAt: EpochMillis }>;

export type ServiceEvent = ServiceCreated | ServiceDesiredCountSet | ServiceDeletionStarted | ServiceDeleted;

/** An application task definition (not a daemon's): what a service's tasks run. Revisions never change. */
export type TaskDefinitionRegistered = Event<
  'TaskDefinitionRegistered',
  {
    readonly taskDefinitionArn: string;
    readonly family: string;
    readonly revision: number;
    readonly definition: Record<string, unknown>;
    readonly registeredAt: EpochMillis;
  }
>;

export type TaskDefinitionEvent = TaskDefinitionRegistered;
