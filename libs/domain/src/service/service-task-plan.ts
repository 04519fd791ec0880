import type { CapacityProviderStrategyItem } from '@daemonfleet/contracts';
import type { CapacityProviderState } from '../capacity-provider/capacity-provider.state.js';
import { serviceTaskCount } from '../capacity-provider/service-tasks.js';
import type { ServiceState } from './service.state.js';

/**
 * How many of a service's tasks each provider of its strategy should run, as ECS spreads by capacity provider
 * strategy: the bases first, in strategy order, then the rest in proportion to the weights (largest remainder,
 * ties to the earlier item, so the split is deterministic and sums exactly). When every weight is 0, the rest
 * is spread evenly over the providers with a base. Aligned with `strategy`.
 */
export function serviceTaskTargets(desiredCount: number, strategy: readonly CapacityProviderStrategyItem[]): number[] {
  const targets = strategy.map(() => 0);
  let rest = desiredCount;
  strategy.forEach((item, index) => {
    targets[index] = Math.min(item.base, rest);
    rest -= targets[index];
  });
  const weights = strategy.some((item) => item.weight > 0) ? strategy.map((item) => item.weight) : strategy.map((item) => (item.base > 0 ? 1 : 0));
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  if (rest === 0 || totalWeight === 0) return targets;
  const shares = weights.map((weight) => (rest * weight) / totalWeight);
  const floors = shares.map(Math.floor);
  let left = rest - floors.reduce((sum, share) => sum + share, 0);
  const byRemainder = shares.map((share, index) => ({ index, remainder: share - floors[index] })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left === 0) break;
    floors[index]++;
    left--;
  }
  return targets.map((target, index) => target + floors[index]);
}

export interface ServiceTaskPlanEntry {
  readonly capacityProviderArn: string;
  /** What the provider should count for the service (its share of the desired count; 0 for a service deleted). */
  readonly target: number;
  /** What it counts now: PROVISIONING, PENDING and RUNNING tasks, a task moving to a replacement once. */
  readonly current: number;
  readonly place: number;
  readonly stop: number;
}

/**
 * Per provider of the service's strategy, how many tasks to place or stop to reach the desired count (a draining
 * service wants 0). Providers that do not exist are left out: no task can go there.
 */
export function serviceTaskPlan(
  service: Exclude<ServiceState, { status: 'NONE' }>,
  providers: ReadonlyMap<string, CapacityProviderState>,
): ServiceTaskPlanEntry[] {
  const desired = service.status === 'ACTIVE' ? service.desiredCount : 0;
  const targets = serviceTaskTargets(desired, service.capacityProviderStrategy);
  return service.capacityProviderStrategy.flatMap(({ capacityProviderArn }, index): ServiceTaskPlanEntry[] => {
    const provider = providers.get(capacityProviderArn);
    if (provider?.status !== 'ACTIVE') return [];
    const target = targets[index];
    const current = serviceTaskCount(provider, service.serviceArn).counted;
    return [{ capacityProviderArn, target, current, place: Math.max(0, target - current), stop: Math.max(0, current - target) }];
  });
}
