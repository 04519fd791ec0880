import type { CapacityProviderEvent, EpochMillis, FleetEvent, PlannedDaemonTask } from '@daemonfleet/contracts';
import type { FleetState } from '../fleet/fleet.state.js';
import { InvalidParameter } from '../shared/domain-errors.js';
import { requireProvider, type CapacityProviderState } from './capacity-provider.state.js';
import { checkFence, recordingFence } from './deployment-fences.js';
import {
  fleetContext,
  instanceProvisioned,
  plannedDaemonsFor,
  type DaemonPlacement,
  type FleetIds,
  type FleetTimings,
} from './fleet-simulation.js';

/** What a deployment's commands to the fleet share: they are fenced by the deployment's stream version (deployment-fences.ts). */
interface FencedByDeployment {
  readonly capacityProvider: string;
  readonly deploymentId: string;
  readonly fence: number;
  readonly daemonArn: string;
  readonly instanceIds: readonly string[];
  readonly now: EpochMillis;
}

/**
 * Drains the named instances and provisions a replacement for each in the same provider (spec 3.2), whose daemon
 * tasks are the provider's placements except `daemonArn`, plus `replacementDaemon` when there is one (the target
 * revision; none for a delete deployment or a provider removed from the daemon). Idempotent per instance: one that
 * is unknown, gone or already draining (for this deployment or another) is left as it is.
 */
export type StartInstanceDrains = {
  readonly type: 'StartInstanceDrains';
  readonly data: FencedByDeployment & {
    readonly replacementDaemon: PlannedDaemonTask | null;
    readonly placements: readonly DaemonPlacement[];
    readonly timings: FleetTimings;
    readonly ids: FleetIds;
  };
};

/** Relabels the daemon's tasks on the named instances as tasks of `toRevisionArn` (decision 12). Idempotent. */
export type AdoptDaemonTasks = {
  readonly type: 'AdoptDaemonTasks';
  readonly data: FencedByDeployment & { readonly toRevisionArn: string };
};

export function startInstanceDrains({ data }: StartInstanceDrains, state: CapacityProviderState): CapacityProviderEvent[] {
  const provider = requireProvider(state, data.capacityProvider);
  checkFence(provider.fleet, data);
  if (data.replacementDaemon && data.replacementDaemon.daemonArn !== data.daemonArn)
    throw new InvalidParameter('replacementDaemon', `replacementDaemon: ${data.replacementDaemon.daemonArn} is not the daemon ${data.daemonArn}`);
  const context = fleetContext(provider, 'capacityProviderArn');
  const daemons = [
    ...plannedDaemonsFor(provider.capacityProviderArn, data.placements).filter((daemon) => daemon.daemonArn !== data.daemonArn),
    ...(data.replacementDaemon ? [data.replacementDaemon] : []),
  ];
  const { deploymentId, fence, now, timings, ids } = data;
  const drains = [...new Set(data.instanceIds)].flatMap((instanceId): FleetEvent[] => {
    const instance = provider.fleet.instances.get(instanceId);
    // REGISTERING or ACTIVE is exactly "not draining": the only other status an instance has is DRAINING.
    if (!instance || instance.drain !== null) return [];
    const replacement = instanceProvisioned(context, { reason: 'REPLACEMENT', replacesInstanceId: instanceId, deploymentId, daemons, now, timings, ids });
    return [
      { type: 'InstanceDrainStarted', data: { instanceId, deploymentId, fence, replacementInstanceId: replacement.data.instanceId, startedAt: now } },
      replacement,
    ];
  });
  return recordingFence(provider.fleet, data, drains);
}

export function adoptDaemonTasks({ data }: AdoptDaemonTasks, state: CapacityProviderState): CapacityProviderEvent[] {
  const provider = requireProvider(state, data.capacityProvider);
  checkFence(provider.fleet, data);
  const { daemonArn, toRevisionArn, deploymentId, fence, now } = data;
  const adoptions = [...new Set(data.instanceIds)].flatMap((instanceId): FleetEvent[] => {
    const task = provider.fleet.instances.get(instanceId)?.daemonTasks.get(daemonArn);
    if (!task || task.daemon.daemonRevisionArn === toRevisionArn) return [];
    return [
      {
        type: 'DaemonTaskAdopted',
        data: { instanceId, taskArn: task.taskArn, daemonArn, fromRevisionArn: task.daemon.daemonRevisionArn, toRevisionArn, deploymentId, fence, adoptedAt: now },
      },
    ];
  });
  return recordingFence(provider.fleet, data, adoptions);
}

/** Of the named instances, those draining for the deployment: what a StartInstanceDrains answers. */
export function drainingFor(fleet: FleetState, deploymentId: string, instanceIds: readonly string[]): string[] {
  return [...new Set(instanceIds)].filter((instanceId) => fleet.instances.get(instanceId)?.drain?.deploymentId === deploymentId);
}

/** Of the named instances, those whose task of the daemon counts for the revision: what an AdoptDaemonTasks answers. */
export function adoptedFor(fleet: FleetState, daemonArn: string, revisionArn: string, instanceIds: readonly string[]): string[] {
  return [...new Set(instanceIds)].filter((instanceId) => fleet.instances.get(instanceId)?.daemonTasks.get(daemonArn)?.daemon.daemonRevisionArn === revisionArn);
}
