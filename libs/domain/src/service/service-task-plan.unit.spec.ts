import type { CapacityProviderEvent } from '@daemonfleet/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capacityProviderDecider } from '../capacity-provider/capacity-provider.decider.js';
import type { CapacityProviderState } from '../capacity-provider/capacity-provider.state.js';
import { activeInstance, appPlaced, drainStarted, providerArn, providerCreated, provisioned, serviceArn, t0 } from '../capacity-provider/testing/fleet-fixtures.js';
import { fold } from '../shared/decider.js';
import { serviceTaskPlan, serviceTaskTargets } from './service-task-plan.js';
import type { ServiceState } from './service.state.js';

describe('serviceTaskTargets: how a desired count spreads over a capacity provider strategy', () => {
  it.each([
    ['one provider takes everything', 5, [[1, 0]], [5]],
    ['bases first, in strategy order', 3, [[1, 2], [1, 2]], [2, 1]],
    ['the rest by weight', 10, [[1, 0], [3, 0]], [3, 7]],
    ['base, then the rest by weight', 10, [[1, 4], [1, 0]], [7, 3]],
    ['a remainder goes to the larger fraction, ties to the earlier item', 5, [[1, 0], [1, 0]], [3, 2]],
    ['a provider of weight 0 takes only its base', 6, [[0, 2], [1, 0]], [2, 4]],
    ['with every weight 0, the rest spreads evenly over the providers with a base', 7, [[0, 1], [0, 2]], [3, 4]],
    ['nothing desired, nothing anywhere', 0, [[1, 3], [2, 0]], [0, 0]],
  ])('%s', (_what, desired, items, expected) => {
    expect(serviceTaskTargets(desired, items.map(([weight, base], i) => ({ capacityProviderArn: `cp${i}`, weight, base })))).toEqual(expected);
  });

  it('always sums to the desired count when some weight or base can take tasks', () => {
    const item = fc.record({ weight: fc.nat(1000), base: fc.nat(50) });
    fc.assert(
      fc.property(fc.nat(100_000), fc.array(item, { minLength: 1, maxLength: 20 }), (desired, items) => {
        fc.pre(items.some((i) => i.weight > 0));
        const targets = serviceTaskTargets(desired, items.map((i, n) => ({ ...i, capacityProviderArn: `cp${n}` })));
        expect(targets.reduce((a, b) => a + b, 0)).toBe(desired);
        expect(targets.every((t) => Number.isInteger(t) && t >= 0)).toBe(true);
      }),
    );
  });
});

describe('serviceTaskPlan', () => {
  const fleet = [
    providerCreated,
    ...activeInstance(1, [], { appTask: 20 }),
    drainStarted(1, 2, t0),
    provisioned(2, { registersAt: t0, reason: 'REPLACEMENT', replaces: 1 }),
    appPlaced(2, 21, t0, { replaces: [1, 20] }),
    provisioned(3),
    appPlaced(3, 22, t0),
  ] as CapacityProviderEvent[];
  const providers = new Map<string, CapacityProviderState>([[providerArn, fold(capacityProviderDecider, fleet)]]);

  it('counts a task moving to a replacement once, PROVISIONING ones included, and places the rest', () =>
    expect(serviceTaskPlan(service('ACTIVE', 5), providers)).toEqual([{ capacityProviderArn: providerArn, target: 5, current: 2, place: 3, stop: 0 }]));

  it('stops the excess, and everything for a draining (deleted) service', () => {
    expect(serviceTaskPlan(service('ACTIVE', 1), providers)).toEqual([{ capacityProviderArn: providerArn, target: 1, current: 2, place: 0, stop: 1 }]);
    expect(serviceTaskPlan(service('DRAINING', 0), providers)).toEqual([{ capacityProviderArn: providerArn, target: 0, current: 2, place: 0, stop: 2 }]);
  });

  it('leaves out a provider that does not exist', () => expect(serviceTaskPlan(service('ACTIVE', 5), new Map())).toEqual([]));

  function service(status: 'ACTIVE' | 'DRAINING', desiredCount: number): Exclude<ServiceState, { status: 'NONE' }> {
    return {
      status,
      serviceArn,
      serviceName: 'web',
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      desiredCount,
      capacityProviderStrategy: [{ capacityProviderArn: providerArn, weight: 1, base: 0 }],
      tags: [],
      createdAt: t0,
      updatedAt: t0,
    };
  }
});
