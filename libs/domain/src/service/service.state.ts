import type { CapacityProviderStrategyItem, EpochMillis, ServiceEvent, Tag } from '@daemonfleet/contracts';
import { assertNever } from '../shared/decider.js';

/** An ECS service of the simulated fleet: how many application tasks it wants, and on which providers. */
export type ServiceState =
  | { readonly status: 'NONE' }
  | {
      readonly status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
      readonly serviceArn: string;
      readonly serviceName: string;
      readonly clusterArn: string;
      readonly taskDefinitionArn: string;
      readonly desiredCount: number;
      readonly capacityProviderStrategy: readonly CapacityProviderStrategyItem[];
      readonly tags: readonly Tag[];
      readonly createdAt: EpochMillis;
      readonly updatedAt: EpochMillis;
    };

export const initialServiceState = (): ServiceState => ({ status: 'NONE' });

export function evolveService(state: ServiceState, event: ServiceEvent): ServiceState {
  switch (event.type) {
    case 'ServiceCreated':
      return { status: 'ACTIVE', ...event.data, updatedAt: event.data.createdAt };
    case 'ServiceDesiredCountSet':
      return state.status === 'NONE' ? state : { ...state, desiredCount: event.data.desiredCount, updatedAt: event.data.updatedAt };
    case 'ServiceDeletionStarted':
      return state.status === 'NONE' ? state : { ...state, status: 'DRAINING', desiredCount: 0, updatedAt: event.data.startedAt };
    case 'ServiceDeleted':
      return state.status === 'NONE' ? state : { ...state, status: 'INACTIVE', updatedAt: event.data.deletedAt };
    default:
      return assertNever(event);
  }
}
