import type { AdoptDaemonTasksCommand, PlannedDaemonTask, StartInstanceDrainsCommand } from '@daemonfleet/contracts';
import type { FleetState, InstanceState } from '../fleet/fleet.state.js';
import type { DeploymentState } from './deployment.state.js';
import type { Observation } from './observations.js';
import { chunks, MAX_INSTANCES_PER_FLEET_COMMAND } from './chunks.js';
import { rolloutOf, rolloutScope, wantedRevision, type Rollout } from './rollout-scope.js';

/** A command the fleet must be sent; the runner adds the fence (the deployment's stream version). */
export type PendingFleetCommand =
  | { readonly type: 'StartInstanceDrains'; readonly data: Omit<StartInstanceDrainsCommand, 'fence'> }
  | { readonly type: 'AdoptDaemonTasks'; readonly data: Omit<AdoptDaemonTasksCommand, 'fence'> };

/**
 * What the fleet must still be told, derived from the deployment's state and the fleet alone (level-triggered, so
 * a lost command is sent again by a later reconcile, and a crash loses nothing):
 * - StartInstanceDrains for the members of the open batch the fleet shows present and not draining, per provider,
 *   with the replacement's task of the daemon: the target revision's (while rolling back, the rollback target's),
 *   or none (a delete deployment, a provider removed from the daemon). A member draining for another deployment
 *   is left alone.
 * - AdoptDaemonTasks for the instances this phase adopted that the fleet has not relabelled yet.
 * Both commands are idempotent per instance at the fleet. At most MAX_INSTANCES_PER_FLEET_COMMAND ids each.
 */
export function pendingFleetCommands(state: DeploymentState, { fleets }: Pick<Observation, 'fleets'>): PendingFleetCommand[] {
  if (state.status !== 'IN_PROGRESS' && state.status !== 'ROLLBACK_IN_PROGRESS') return [];
  const rollout = rolloutOf(state);
  return [...drainCommands(rollout, fleets), ...adoptCommands(rollout, fleets)];
}

function drainCommands(rollout: Rollout, fleets: readonly FleetState[]): PendingFleetCommand[] {
  const undrained: InstanceState[] = [];
  for (const member of rollout.openBatch?.instances ?? []) {
    const instance = fleets.map((fleet) => fleet.instances.get(member.instanceId)).find((found) => found !== undefined);
    if (instance && instance.drain === null) undrained.push(instance);
  }
  return perProvider(undrained).flatMap(([capacityProviderArn, instanceIds]) => {
    const wanted = wantedRevision(rollout, capacityProviderArn);
    const replacementDaemon: PlannedDaemonTask | null =
      wanted === null
        ? null
        : {
            daemonArn: rollout.daemonArn,
            daemonRevisionArn: wanted,
            daemonTaskDefinitionArn: rollout.target!.daemonTaskDefinitionArn,
            critical: rollout.target!.critical,
          };
    return chunks(instanceIds, MAX_INSTANCES_PER_FLEET_COMMAND).map((ids): PendingFleetCommand => ({
      type: 'StartInstanceDrains',
      data: { deploymentId: rollout.deploymentId, capacityProviderArn, daemonArn: rollout.daemonArn, instanceIds: ids, replacementDaemon },
    }));
  });
}

function adoptCommands(rollout: Rollout, fleets: readonly FleetState[]): PendingFleetCommand[] {
  if (rollout.adoptedInstanceIds.size === 0 || !rollout.target) return [];
  const toRevisionArn = rollout.target.arn;
  return perProvider(rolloutScope(rollout, fleets).awaitingRelabel).flatMap(([capacityProviderArn, instanceIds]) =>
    chunks(instanceIds, MAX_INSTANCES_PER_FLEET_COMMAND).map((ids): PendingFleetCommand => ({
      type: 'AdoptDaemonTasks',
      data: { deploymentId: rollout.deploymentId, capacityProviderArn, daemonArn: rollout.daemonArn, instanceIds: ids, toRevisionArn },
    })),
  );
}

function perProvider(instances: readonly InstanceState[]): [string, string[]][] {
  const grouped = new Map<string, string[]>();
  for (const instance of instances) {
    const ids = grouped.get(instance.capacityProviderArn) ?? [];
    grouped.set(instance.capacityProviderArn, ids);
    ids.push(instance.instanceId);
  }
  return [...grouped];
}
