import type { DeploymentEvent, DeploymentStarted, DeploymentSucceeded } from '@daemonfleet/contracts';
import { assertNever } from '../shared/decider.js';
import { chunks, MAX_INSTANCES_PER_EVENT } from './chunks.js';
import { deploymentCounts } from './deployment-counts.js';
import { guardEvents, watchedAlarmNames } from './deployment-guards.js';
import { afterStopRequested, rollbackBroken, rolledBack } from './deployment-rollback.js';
import { evolveDeployment } from './deployment.evolve.js';
import type { DeploymentState, InProgressDeployment, PendingDeployment, RollingDeployment } from './deployment.state.js';
import type { Observation } from './observations.js';
import { batchSize, circuitBreakerThreshold, nextBatch } from './rollout-budget.js';
import { batchProgress, rolloutOf, rolloutScope, toInstanceInScope } from './rollout-scope.js';

/**
 * The level-triggered control loop of a deployment (architecture section 4, docs/rollout.md): from the
 * deployment's state and what is observed now, the events that move it forward. It looks at state, never at what
 * woke it, so running it twice, late or after a crash decides the same thing; it answers [] when there is
 * nothing to do. What the fleet must be told follows from the state (`pendingFleetCommands`), not from here.
 * A step that changes the status goes on from the state after its own events, in the same decision (one append):
 * PENDING → IN_PROGRESS and its first batch; a trip → STOP_REQUESTED → the rollback and its first drains, or STOPPED.
 */
export function reconcileDeployment(state: DeploymentState, observation: Observation): DeploymentEvent[] {
  switch (state.status) {
    case 'NONE':
    case 'SUCCESSFUL':
    case 'STOPPED':
    case 'ROLLBACK_SUCCESSFUL':
    case 'ROLLBACK_FAILED':
      return [];
    case 'PENDING':
      return andThen(state, [start(state, observation)], observation);
    case 'IN_PROGRESS': {
      // The guards first: once tripped, no further batch is opened, and the bake does not end in success.
      const guarded = guardEvents(state, observation);
      if (guarded.some((event) => event.type === 'DeploymentStopRequested')) return andThen(state, guarded, observation);
      return [...guarded, ...(state.bake ? bake(state, observation) : progress(state, observation))];
    }
    case 'STOP_REQUESTED':
      return andThen(state, [afterStopRequested(state, observation)], observation);
    case 'ROLLBACK_IN_PROGRESS': {
      const broken = rollbackBroken(state, observation);
      return broken ? [broken] : progress(state, observation);
    }
    default:
      return assertNever(state);
  }
}

/** The events, then what the state after them decides. */
function andThen(state: DeploymentState, events: DeploymentEvent[], observation: Observation): DeploymentEvent[] {
  return [...events, ...reconcileDeployment(events.reduce(evolveDeployment, state), observation)];
}

/**
 * Scope and budget are fixed here (decisions 1 and 3); the counts record the fleet as the deployment found it.
 * A delete deployment watches no alarm: the daemon goes away whatever happens (decision 7), there is nothing to
 * roll back to.
 */
function start(state: PendingDeployment, { now, fleets, alarms }: Observation): DeploymentStarted {
  const scope = rolloutScope(rolloutOf(state), fleets);
  const inScope = scope.candidates.length + scope.waiting;
  const monitored = [...watchedAlarmNames(state)];
  const inAlarm = monitored.filter((name) => alarms[name]?.state === 'ALARM');
  return {
    type: 'DeploymentStarted',
    data: {
      startedAt: now,
      instancesInScope: inScope,
      batchSize: batchSize(inScope, state.deploymentConfiguration.drainPercent),
      circuitBreakerThreshold: circuitBreakerThreshold(inScope),
      monitoredAlarmNames: monitored,
      alarmsInAlarmAtStart: inAlarm,
      timesInAlarmAtStart: Object.fromEntries(inAlarm.map((name) => [name, alarms[name]!.timesInAlarm])),
      revisionCounts: deploymentCounts(state, fleets),
    },
  };
}

/**
 * One step of the rollout, or of the rollback (the same mechanics towards the rollback target): adopt what
 * matches, redo replacements of the open batch that will never run the wanted revision, close the open batch
 * once it is replaced, open the next, and when nothing is left (no candidate, nothing coming up or draining
 * elsewhere, no adoption unconfirmed) bake or finish. The budget's assumptions and invariants are stated in
 * rollout-budget.ts. The scope is taken before this step's own events: they only close a batch whose members are
 * gone, add replacements to it and adopt instances that are no candidates, so it is also the scope after them.
 */
function progress(state: RollingDeployment, observation: Observation): DeploymentEvent[] {
  const { now, fleets } = observation;
  const rollout = rolloutOf(state);
  const scope = rolloutScope(rollout, fleets);
  const events: DeploymentEvent[] = [];
  if (scope.adoptable.length > 0)
    for (const instances of chunks(scope.adoptable.map(toInstanceInScope), MAX_INSTANCES_PER_EVENT))
      events.push({ type: 'DaemonTasksAdopted', data: { instances, adoptedAt: now } });

  let batchOpen = state.openBatch !== null;
  if (state.openBatch) {
    const batch = batchProgress(rollout, state.openBatch, fleets);
    if (batch.redo.length > 0)
      for (const instances of chunks(batch.redo.map(toInstanceInScope), MAX_INSTANCES_PER_EVENT))
        events.push({ type: 'InstanceDrainsRequested', data: { batch: state.openBatch.batch, instances, requestedAt: now } });
    else if (batch.settled) {
      for (const instances of chunks(batch.replaced, MAX_INSTANCES_PER_EVENT))
        events.push({ type: 'InstancesReplaced', data: { batch: state.openBatch.batch, instances, replacedAt: now } });
      batchOpen = false;
    }
  }

  const next = nextBatch(scope.candidates, state.batchSize, { batchOpen });
  if (next.length > 0) {
    // A large batch is requested in parts, all in this one decision (one append): no reconcile sees half of it.
    for (const instances of chunks(next.map(toInstanceInScope), MAX_INSTANCES_PER_EVENT))
      events.push({ type: 'InstanceDrainsRequested', data: { batch: state.batchesRequested + 1, instances, requestedAt: now } });
    return events;
  }
  const done = !batchOpen && scope.waiting === 0 && scope.drainingElsewhere === 0 && scope.adoptable.length === 0 && scope.awaitingRelabel.length === 0;
  if (!done) return events;
  if (state.status === 'ROLLBACK_IN_PROGRESS') return [...events, rolledBack(state, observation)];
  // The bake follows the last batch (decision 4); a deployment that drained nothing has no last batch to bake.
  if (state.batchesRequested > 0 && observation.bakeDurationMs > 0)
    return [...events, { type: 'DeploymentBakeStarted', data: { bakeStartedAt: now, bakeEndsAt: now + observation.bakeDurationMs } }];
  return [...events, succeeded(state, observation)];
}

/** The bake is a durable timer: its end is stored, and the first reconcile at or after it succeeds (the guards ran first). */
function bake(state: InProgressDeployment, observation: Observation): DeploymentEvent[] {
  return observation.now >= state.bake!.bakeEndsAt ? [succeeded(state, observation)] : [];
}

function succeeded(state: InProgressDeployment, { now, fleets }: Observation): DeploymentSucceeded {
  return { type: 'DeploymentSucceeded', data: { finishedAt: now, finalCounts: deploymentCounts(state, fleets) } };
}
