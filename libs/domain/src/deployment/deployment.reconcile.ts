import type { DeploymentEvent, DeploymentStarted, DeploymentSucceeded } from '@daemonfleet/contracts';
import { assertNever } from '../shared/decider.js';
import { chunks, MAX_INSTANCES_PER_EVENT } from './chunks.js';
import { deploymentCounts } from './deployment-counts.js';
import { evolveDeployment, type DeploymentState, type InProgressDeployment, type PendingDeployment } from './deployment.state.js';
import type { Observation } from './observations.js';
import { batchSize, circuitBreakerThreshold, nextBatch } from './rollout-budget.js';
import { batchProgress, rolloutScope, toInstanceInScope } from './rollout-scope.js';

/**
 * The level-triggered control loop of a deployment (architecture section 4, docs/rollout.md): from the
 * deployment's state and what is observed now, the events that move it forward. It looks at state, never at what
 * woke it, so running it twice, late or after a crash decides the same thing; it answers [] when there is
 * nothing to do. What the fleet must be told follows from the state (`pendingFleetCommands`), not from here.
 */
export function reconcileDeployment(state: DeploymentState, observation: Observation): DeploymentEvent[] {
  switch (state.status) {
    case 'NONE':
    case 'SUCCESSFUL':
    case 'STOPPED':
      return [];
    case 'PENDING': {
      const started = start(state, observation);
      // Follow-ups are decided from the state after our own fact.
      return [started, ...reconcileDeployment(evolveDeployment(state, started), observation)];
    }
    case 'IN_PROGRESS':
      return state.bake ? bake(state, observation) : progress(state, observation);
    default:
      return assertNever(state);
  }
}

/** Scope and budget are fixed here (decisions 1 and 3); the counts record the fleet as the deployment found it. */
function start(state: PendingDeployment, { now, fleets, alarms }: Observation): DeploymentStarted {
  const scope = rolloutScope(state, fleets);
  const inScope = scope.candidates.length + scope.waiting;
  const { enable, alarmNames } = state.deploymentConfiguration.alarms;
  const monitored = enable ? [...alarmNames] : [];
  return {
    type: 'DeploymentStarted',
    data: {
      startedAt: now,
      instancesInScope: inScope,
      batchSize: batchSize(inScope, state.deploymentConfiguration.drainPercent),
      circuitBreakerThreshold: circuitBreakerThreshold(inScope),
      monitoredAlarmNames: monitored,
      alarmsInAlarmAtStart: monitored.filter((name) => alarms.states[name] === 'ALARM'),
      revisionCounts: deploymentCounts(state, fleets),
    },
  };
}

/**
 * One step of the rollout: adopt what matches, close the open batch once it is replaced, open the next, and when
 * nothing is left (no candidate, nothing coming up or draining elsewhere, no adoption unconfirmed) bake or succeed.
 * The budget's assumptions and invariants are stated in rollout-budget.ts.
 * The scope is taken before this step's own events: they only close a batch whose members are gone and adopt
 * instances that are no candidates, so it is also the scope after them.
 */
function progress(state: InProgressDeployment, observation: Observation): DeploymentEvent[] {
  const { now, fleets } = observation;
  const scope = rolloutScope(state, fleets);
  const events: DeploymentEvent[] = [];
  if (scope.adoptable.length > 0)
    for (const instances of chunks(scope.adoptable.map(toInstanceInScope), MAX_INSTANCES_PER_EVENT))
      events.push({ type: 'DaemonTasksAdopted', data: { instances, adoptedAt: now } });

  let batchOpen = state.openBatch !== null;
  if (state.openBatch) {
    const batch = batchProgress(state, state.openBatch, fleets);
    if (batch.settled) {
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
  // The bake follows the last batch (decision 4); a deployment that drained nothing has no last batch to bake.
  if (state.batchesRequested > 0 && observation.bakeDurationMs > 0)
    return [...events, { type: 'DeploymentBakeStarted', data: { bakeStartedAt: now, bakeEndsAt: now + observation.bakeDurationMs } }];
  return [...events, succeeded(state, observation)];
}

/** The bake is a durable timer: its end is stored, and the first reconcile at or after it succeeds. */
function bake(state: InProgressDeployment, observation: Observation): DeploymentEvent[] {
  return observation.now >= state.bake!.bakeEndsAt ? [succeeded(state, observation)] : [];
}

function succeeded(state: InProgressDeployment, { now, fleets }: Observation): DeploymentSucceeded {
  return { type: 'DeploymentSucceeded', data: { finishedAt: now, finalCounts: deploymentCounts(state, fleets) } };
}
