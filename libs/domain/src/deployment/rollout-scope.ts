import type { DeploymentTargetRevision, InstanceInScope } from '@daemonfleet/contracts';
import { heldBackByFailedDaemon, type FleetState, type InstanceState } from '../fleet/fleet.state.js';
import type { OpenBatch, PendingDeployment, RollingDeployment, UnfinishedDeployment } from './deployment.state.js';

/**
 * What the batch mechanics need of a deployment, whichever way it rolls (spec 3.7: a rollback uses the same
 * drain → provision → replace mechanics): where instances go, the open batch, and what this phase adopted.
 */
export interface Rollout {
  readonly deploymentId: string;
  readonly daemonArn: string;
  /** The target revision; while rolling back, the rollback target. null: a delete deployment (no task of the daemon). */
  readonly target: DeploymentTargetRevision | null;
  readonly openBatch: OpenBatch | null;
  readonly adoptedInstanceIds: ReadonlySet<string>;
}

export function rolloutOf(state: PendingDeployment | RollingDeployment): Rollout {
  const { deploymentId, daemonArn } = state;
  if (state.status === 'PENDING') return { deploymentId, daemonArn, target: state.targetRevision, openBatch: null, adoptedInstanceIds: new Set() };
  const target = state.status === 'ROLLBACK_IN_PROGRESS' ? state.rollbackTarget : state.targetRevision;
  return { deploymentId, daemonArn, target, openBatch: state.openBatch, adoptedInstanceIds: state.adoptedInstanceIds };
}

/**
 * Where each instance of the observed fleets stands for one deployment, in one pass over the instances
 * (O(instances of the observed providers)). An instance is relevant when it belongs to a provider of the target
 * revision, or runs (or is to run) the deployment's daemon anywhere else (a removed provider, a delete deployment).
 * The members of the open batch are accounted for by `batchProgress`, not here.
 */
export interface RolloutScope {
  /**
   * In scope and ACTIVE, or held back for good by a critical daemon task that failed to start (it never becomes
   * ACTIVE by itself: spec 3.8): may be drained now. In the fleets' order, which is the instances' launch order.
   */
  readonly candidates: readonly InstanceState[];
  /** In scope, coming up (registering with another revision, or none, planned): drained once ACTIVE or held back. */
  readonly waiting: number;
  /** Their task already matches the target's task definition and `critical` flag (decision 12), not adopted yet. */
  readonly adoptable: readonly InstanceState[];
  /** Adopted by this phase of the deployment, not relabelled by the fleet yet. */
  readonly awaitingRelabel: readonly InstanceState[];
  /** Draining for another deployment: not picked, counted against nothing; their replacements come into scope later. */
  readonly drainingElsewhere: number;
}

/** Whether a task of the deployment's daemon may be relabelled as the target's instead of being cycled (decision 12). */
function matchesTarget(task: { readonly daemonTaskDefinitionArn: string; readonly critical: boolean }, target: DeploymentTargetRevision): boolean {
  return task.daemonTaskDefinitionArn === target.daemonTaskDefinitionArn && task.critical === target.critical;
}

/** The revision an instance of this provider should end with, or null: it should run no task of the daemon. */
export function wantedRevision(rollout: Rollout, capacityProviderArn: string): string | null {
  const target = rollout.target;
  return target && target.capacityProviderArns.includes(capacityProviderArn) ? target.arn : null;
}

/** The revision the instance runs, or will once registered, of the daemon; null: none. */
function revisionOn(instance: InstanceState, daemonArn: string): string | null {
  return instance.daemonTasks.get(daemonArn)?.daemon.daemonRevisionArn ?? instance.plannedDaemons.find((daemon) => daemon.daemonArn === daemonArn)?.daemonRevisionArn ?? null;
}

export function rolloutScope(rollout: Rollout, fleets: readonly FleetState[]): RolloutScope {
  const scope = { candidates: [] as InstanceState[], waiting: 0, adoptable: [] as InstanceState[], awaitingRelabel: [] as InstanceState[], drainingElsewhere: 0 };
  const inBatch = new Set(rollout.openBatch?.instances.map((i) => i.instanceId) ?? []);
  for (const fleet of fleets) {
    for (const instance of fleet.instances.values()) {
      if (inBatch.has(instance.instanceId)) continue;
      const wanted = wantedRevision(rollout, instance.capacityProviderArn);
      const revision = revisionOn(instance, rollout.daemonArn);
      if (wanted === null && revision === null) continue;
      if (instance.drain !== null) {
        // Draining for this deployment happens only to members of the open batch, skipped above.
        if (instance.drain.deploymentId !== rollout.deploymentId) scope.drainingElsewhere++;
        continue;
      }
      if (revision === wanted) continue;
      const task = instance.daemonTasks.get(rollout.daemonArn);
      if (wanted !== null && task && matchesTarget(task.daemon, rollout.target!)) {
        (rollout.adoptedInstanceIds.has(instance.instanceId) ? scope.awaitingRelabel : scope.adoptable).push(instance);
        continue;
      }
      if (instance.status === 'ACTIVE' || heldBackByFailedDaemon(instance)) scope.candidates.push(instance);
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
  /**
   * Replacements of members that came up ACTIVE with the revision a rollback rolls back from. They are drained in
   * turn, as part of the same batch, once their member is gone: a member and its replacement stand for one
   * instance's worth of capacity. Also those held back on a provider the revision rolled back to does not cover,
   * at once (see rollout-budget.ts).
   */
  readonly redo: readonly InstanceState[];
}

/**
 * A member is done when it is gone and:
 * - its replacement by this deployment runs the wanted revision (RUNNING), or, when the replacement is to run no
 *   task of the daemon, is ACTIVE; or
 * - no replacement by this deployment is left: another deployment drained it (a command of a superseded deployment
 *   that arrived late), and that replacement is an ordinary instance in scope, picked in a later batch; or its
 *   replacement was redone and is gone too (the replacement's own replacement, a member, is what counts).
 * `fleets` must include the members' providers (see `providersToObserve`).
 */
export function batchProgress(rollout: Rollout, batch: OpenBatch, fleets: readonly FleetState[]): BatchProgress {
  const members = new Set(batch.instances.map((i) => i.instanceId));
  const present = new Set<string>();
  const replacements = new Map<string, InstanceState>();
  for (const fleet of fleets) {
    for (const instance of fleet.instances.values()) {
      if (members.has(instance.instanceId)) present.add(instance.instanceId);
      if (instance.replacesInstanceId !== null && instance.deploymentId === rollout.deploymentId && members.has(instance.replacesInstanceId))
        replacements.set(instance.replacesInstanceId, instance);
    }
  }
  // Redone only once its member is gone, so a slot never has two instances in drain. A replacement not ACTIVE yet
  // is left to come up: its failed daemon task is retried with the daemon's current revision (the fleet relaunches
  // what a rollback restored). Unless the revision rolled back to does not place the daemon on its provider: no
  // retry can bring it up, and its member keeps its tasks until it does, so it is drained beside its member.
  const redo = [...replacements.values()].filter((replacement) => {
    if (members.has(replacement.instanceId) || replacement.drain !== null) return false;
    const wanted = wantedRevision(rollout, replacement.capacityProviderArn);
    if (revisionOn(replacement, rollout.daemonArn) === wanted) return false;
    if (replacement.activatedAt !== null) return !present.has(replacement.replacesInstanceId!);
    return wanted === null && heldBackByFailedDaemon(replacement);
  });
  const replaced: (InstanceInScope & { replacementInstanceId: string })[] = [];
  for (const member of batch.instances) {
    if (present.has(member.instanceId)) return { settled: false, replaced: [], redo };
    const replacement = replacements.get(member.instanceId);
    if (!replacement) continue;
    if (!replacementDone(rollout, replacement)) return { settled: false, replaced: [], redo };
    replaced.push({ ...member, replacementInstanceId: replacement.instanceId });
  }
  return { settled: true, replaced, redo };
}

function replacementDone(rollout: Rollout, replacement: InstanceState): boolean {
  const wanted = wantedRevision(rollout, replacement.capacityProviderArn);
  if (wanted === null) return replacement.status === 'ACTIVE';
  const task = replacement.daemonTasks.get(rollout.daemonArn);
  return task?.status === 'RUNNING' && task.daemon.daemonRevisionArn === wanted;
}

/** Providers a reconcile must observe besides those running the daemon: the target's, the rollback target's, the open batch's. */
export function providersToObserve(state: UnfinishedDeployment): string[] {
  const batch = state.status === 'PENDING' ? [] : (state.openBatch?.instances ?? []);
  const rollbackTarget = state.status === 'ROLLBACK_IN_PROGRESS' ? state.rollbackTarget.capacityProviderArns : [];
  return [...new Set([...(state.targetRevision?.capacityProviderArns ?? []), ...rollbackTarget, ...batch.map((i) => i.capacityProviderArn)])];
}
