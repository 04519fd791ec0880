import type { DeploymentTargetRevision, InstanceInScope } from '@daemonfleet/contracts';
import type { FleetState, InstanceState } from '../fleet/fleet.state.js';
import type { InProgressDeployment, OpenBatch, PendingDeployment } from './deployment.state.js';

type Deciding = PendingDeployment | InProgressDeployment;

/**
 * Where each instance of the observed fleets stands for one deployment, in one pass over the instances
 * (O(instances of the observed providers)). An instance is relevant when it belongs to a provider of the target
 * revision, or runs (or is to run) the deployment's daemon anywhere else (a removed provider, a delete deployment).
 * The members of the open batch are accounted for by `batchProgress`, not here.
 */
export interface RolloutScope {
  /** In scope and ACTIVE: may be drained now. In the fleets' order, which is the instances' launch order. */
  readonly candidates: readonly InstanceState[];
  /** In scope but not ACTIVE yet (registering with another revision, or none, planned): drained once ACTIVE. */
  readonly waiting: number;
  /** Their task already matches the target's task definition and `critical` flag (decision 12), not adopted yet. */
  readonly adoptable: readonly InstanceState[];
  /** Adopted by this deployment, not relabelled by the fleet yet. */
  readonly awaitingRelabel: readonly InstanceState[];
  /** Draining for another deployment: not picked, counted against nothing; their replacements come into scope later. */
  readonly drainingElsewhere: number;
}

/** Whether a task of the deployment's daemon may be relabelled as the target's instead of being cycled (decision 12). */
function matchesTarget(task: { readonly daemonTaskDefinitionArn: string; readonly critical: boolean }, target: DeploymentTargetRevision): boolean {
  return task.daemonTaskDefinitionArn === target.daemonTaskDefinitionArn && task.critical === target.critical;
}

/** The revision an instance of this provider should end with, or null: it should run no task of the daemon. */
export function wantedRevision(state: Deciding, capacityProviderArn: string): string | null {
  const target = state.targetRevision;
  return target && target.capacityProviderArns.includes(capacityProviderArn) ? target.arn : null;
}

export function rolloutScope(state: Deciding, fleets: readonly FleetState[]): RolloutScope {
  const scope = { candidates: [] as InstanceState[], waiting: 0, adoptable: [] as InstanceState[], awaitingRelabel: [] as InstanceState[], drainingElsewhere: 0 };
  const inBatch = new Set(state.status === 'IN_PROGRESS' ? (state.openBatch?.instances.map((i) => i.instanceId) ?? []) : []);
  const adopted = state.status === 'IN_PROGRESS' ? state.adoptedInstanceIds : new Set<string>();
  for (const fleet of fleets) {
    for (const instance of fleet.instances.values()) {
      if (inBatch.has(instance.instanceId)) continue;
      const wanted = wantedRevision(state, instance.capacityProviderArn);
      const task = instance.daemonTasks.get(state.daemonArn);
      const planned = instance.plannedDaemons.find((daemon) => daemon.daemonArn === state.daemonArn);
      if (wanted === null && !task && !planned) continue;
      if (instance.drain !== null) {
        // Draining for this deployment happens only to members of the open batch, skipped above.
        if (instance.drain.deploymentId !== state.deploymentId) scope.drainingElsewhere++;
        continue;
      }
      const label = task?.daemon.daemonRevisionArn ?? planned?.daemonRevisionArn ?? null;
      if (label === wanted) continue;
      if (wanted !== null && task && matchesTarget(task.daemon, state.targetRevision!)) {
        (adopted.has(instance.instanceId) ? scope.awaitingRelabel : scope.adoptable).push(instance);
        continue;
      }
      if (instance.status === 'ACTIVE') scope.candidates.push(instance);
      else scope.waiting++;
    }
  }
  return scope;
}

export const toInstanceInScope = (instance: InstanceState): InstanceInScope => ({
  instanceId: instance.instanceId,
  capacityProviderArn: instance.capacityProviderArn,
});

/** Where the open batch stands: settled once every member is gone and no replacement of this deployment is still coming up. */
export interface BatchProgress {
  readonly settled: boolean;
  /** Members this deployment replaced, with their replacement. Members replaced by someone else are released silently. */
  readonly replaced: readonly (InstanceInScope & { readonly replacementInstanceId: string })[];
}

/**
 * A member is done when it is gone and:
 * - its replacement by this deployment runs the wanted revision (RUNNING), or, when the replacement is to run no
 *   task of the daemon, is ACTIVE; or
 * - no replacement by this deployment exists: another deployment drained it (a command of a superseded deployment
 *   that arrived late), and that replacement is an ordinary instance in scope, picked in a later batch.
 * `fleets` must include the members' providers (see `providersToObserve`).
 */
export function batchProgress(state: InProgressDeployment, batch: OpenBatch, fleets: readonly FleetState[]): BatchProgress {
  const members = new Set(batch.instances.map((i) => i.instanceId));
  const present = new Set<string>();
  const replacements = new Map<string, InstanceState>();
  for (const fleet of fleets) {
    for (const instance of fleet.instances.values()) {
      if (members.has(instance.instanceId)) present.add(instance.instanceId);
      if (instance.replacesInstanceId !== null && instance.deploymentId === state.deploymentId && members.has(instance.replacesInstanceId))
        replacements.set(instance.replacesInstanceId, instance);
    }
  }
  const replaced: (InstanceInScope & { replacementInstanceId: string })[] = [];
  for (const member of batch.instances) {
    if (present.has(member.instanceId)) return { settled: false, replaced: [] };
    const replacement = replacements.get(member.instanceId);
    if (!replacement) continue;
    if (!replacementDone(state, replacement)) return { settled: false, replaced: [] };
    replaced.push({ ...member, replacementInstanceId: replacement.instanceId });
  }
  return { settled: true, replaced };
}

function replacementDone(state: InProgressDeployment, replacement: InstanceState): boolean {
  const wanted = wantedRevision(state, replacement.capacityProviderArn);
  if (wanted === null) return replacement.status === 'ACTIVE';
  const task = replacement.daemonTasks.get(state.daemonArn);
  return task?.status === 'RUNNING' && task.daemon.daemonRevisionArn === wanted;
}

/** Providers a reconcile must observe besides those running the daemon: the target's, and those of the open batch. */
export function providersToObserve(state: PendingDeployment | InProgressDeployment): string[] {
  const batch = state.status === 'IN_PROGRESS' ? (state.openBatch?.instances ?? []) : [];
  return [...new Set([...(state.targetRevision?.capacityProviderArns ?? []), ...batch.map((i) => i.capacityProviderArn)])];
}
