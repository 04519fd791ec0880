import type { EpochMillis, InstanceLaunchReason, InstanceProvisioningStarted, PlannedDaemonTask, Scope } from '@daemonfleet/contracts';
import { Arns, parseEcsArn } from '../shared/arns.js';
import { CapacityProviderNotManagedInstances } from '../shared/domain-errors.js';
import type { ActiveCapacityProvider } from './capacity-provider.state.js';

/** What the simulated fleet's commands are given from outside: durations, ids, and the daemons to launch. */

/** Simulated durations in milliseconds, already divided by TIME_SCALE (architecture section 5). 0 is allowed. */
export interface FleetTimings {
  readonly instanceProvisioningMs: number;
  readonly daemonTaskStartMs: number;
  readonly appTaskStartMs: number;
  /** Connection draining: a drained instance's application task stops this long after its replacement runs. */
  readonly drainMs: number;
  /**
   * Backoff before a failed daemon task start or instance provisioning is tried again (decision 21):
   * `retryBackoffMs × 2^(attempt − 1)`, at most `retryBackoffMaxMs` (see retryAt).
   */
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
}

/** New ids, drawn by the app: `i-` and 17 lower-case hex digits for an instance, 32 for a task (as EC2 and ECS). */
export interface FleetIds {
  next(kind: 'instance' | 'task'): string;
}

/** A live daemon's current revision and the providers it runs on (spec 3.9.4): what new instances launch. */
export interface DaemonPlacement extends PlannedDaemonTask {
  readonly capacityProviderArns: readonly string[];
}

/** The daemon tasks a new instance of the provider launches: one per daemon listing it (spec 1.4), in order. */
export function plannedDaemonsFor(capacityProviderArn: string, placements: readonly DaemonPlacement[]): PlannedDaemonTask[] {
  const planned = new Map<string, PlannedDaemonTask>();
  for (const { daemonArn, daemonRevisionArn, daemonTaskDefinitionArn, critical, capacityProviderArns } of placements) {
    if (capacityProviderArns.includes(capacityProviderArn) && !planned.has(daemonArn))
      planned.set(daemonArn, { daemonArn, daemonRevisionArn, daemonTaskDefinitionArn, critical });
  }
  return [...planned.values()];
}

/** What the ARNs of a provider's instances and tasks are made of. */
export interface FleetContext {
  readonly scope: Scope;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly capacityProviderArn: string;
}

/** Only a Managed Instances provider has a cluster, so only it has instances; `field` names the caller's field. */
export function fleetContext(provider: ActiveCapacityProvider, field: string): FleetContext {
  const { clusterName, capacityProviderArn } = provider;
  if (provider.type !== 'MANAGED_INSTANCES' || clusterName === null) throw new CapacityProviderNotManagedInstances(provider.name, field);
  const scope = parseEcsArn(capacityProviderArn)!.scope;
  return { scope, clusterName, clusterArn: Arns.cluster(scope, clusterName), capacityProviderArn };
}

export function newTaskArn(context: FleetContext, ids: FleetIds): string {
  return Arns.task(context.scope, context.clusterName, ids.next('task'));
}

export interface Provisioning {
  readonly reason: InstanceLaunchReason;
  readonly replacesInstanceId: string | null;
  readonly deploymentId: string | null;
  readonly daemons: readonly PlannedDaemonTask[];
  readonly now: EpochMillis;
  readonly timings: FleetTimings;
  readonly ids: FleetIds;
}

/** A new instance: REGISTERING until `registersAt`, when its daemons launch first (spec 3.9). */
export function instanceProvisioned(context: FleetContext, provisioning: Provisioning): InstanceProvisioningStarted {
  const { reason, replacesInstanceId, deploymentId, daemons, now, timings, ids } = provisioning;
  const instanceId = ids.next('instance');
  return {
    type: 'InstanceProvisioningStarted',
    data: {
      instanceId,
      containerInstanceArn: Arns.containerInstance(context.scope, context.clusterName, instanceId),
      capacityProviderArn: context.capacityProviderArn,
      clusterArn: context.clusterArn,
      reason,
      replacesInstanceId,
      deploymentId,
      daemons: [...daemons],
      startedAt: now,
      registersAt: now + timings.instanceProvisioningMs,
    },
  };
}
