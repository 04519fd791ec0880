import type { ServiceEvent } from '@daemonfleet/contracts';
import { evolveService, initialServiceState } from '@daemonfleet/domain';
import { describe, expect, it } from 'vitest';
import type { KnownService } from '../read-models/service.queries.js';
import { ARN, CLUSTER_ARN, serviceArn, serviceCreated, T0 } from '../testing/fleet.fixtures.js';
import { presentService } from './service.presenter.js';

describe('presentService', () => {
  it('shows the service with its tasks as the fleet counts them: pending are those counted but not running', () => {
    expect(presentService(serviceAfter([serviceCreated('web', 'mi-a', 4)]), { counted: 4, running: 2 })).toEqual({
      serviceArn: serviceArn('web'),
      serviceName: 'web',
      clusterArn: CLUSTER_ARN,
      status: 'ACTIVE',
      desiredCount: 4,
      runningCount: 2,
      pendingCount: 2,
      taskDefinition: `${ARN}:task-definition/web-app:1`,
      capacityProviderStrategy: [{ capacityProvider: 'mi-a', weight: 1, base: 0 }],
      schedulingStrategy: 'REPLICA',
      createdAt: 1_742_040_000,
      tags: [],
    });
  });

  it('shows a new desired count, then DRAINING with a desired count of 0, then INACTIVE', () => {
    const updated = [serviceCreated('web', 'mi-a', 4), { type: 'ServiceDesiredCountSet', data: { desiredCount: 6, updatedAt: T0 + 1_000 } }] satisfies ServiceEvent[];
    expect(presentService(serviceAfter(updated), none)).toMatchObject({ status: 'ACTIVE', desiredCount: 6, runningCount: 0, pendingCount: 0 });

    const draining = [...updated, { type: 'ServiceDeletionStarted', data: { startedAt: T0 + 2_000 } }] satisfies ServiceEvent[];
    expect(presentService(serviceAfter(draining), { counted: 1, running: 1 })).toMatchObject({ status: 'DRAINING', desiredCount: 0, runningCount: 1 });

    const inactive = [...draining, { type: 'ServiceDeleted', data: { deletedAt: T0 + 3_000 } }] satisfies ServiceEvent[];
    expect(presentService(serviceAfter(inactive), none)).toMatchObject({ status: 'INACTIVE', desiredCount: 0 });
  });
});

const none = { counted: 0, running: 0 };

function serviceAfter(events: readonly ServiceEvent[]): KnownService {
  const state = events.reduce(evolveService, initialServiceState());
  if (state.status === 'NONE') throw new Error('no service');
  return state;
}
