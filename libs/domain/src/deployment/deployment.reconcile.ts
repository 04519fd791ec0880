import type { CapacityProviderInstanceCounts, DeploymentEvent, DeploymentStarted, EpochMillis, InstanceRecord, RevisionInstanceCounts } from '@daemonfleet/contracts';
import { assertNever } from '../shared/decider.js';
import { evolveDeployment, type DeploymentState } from './deployment.state.js';
import type { AlarmView, FleetView } from './observations.js';
import { batchSize, circuitBreakerThreshold } from './rollout-budget.js';

export interface Observation {
  readonly now: EpochMillis;
  readonly fleet: FleetView;
  readonly alarms: AlarmView;
}

/**
 * The level-triggered control loop of a deployment (architecture section 4): from the deployment's state and
 * what is observed now, the events that move it forward. It looks at state, never at what woke it, so running
 * it twice, late or after a crash decides the same thing; it answers [] when there is nothing to do.
 */
export function reconcileDeployment(state: DeploymentState, observation: Observation): DeploymentEvent[] {
  switch (state.status) {
    case 'NONE':
    case 'SUCCESSFUL':
      return [];
    case 'PENDING': {
      const started = start(state, observation);
      // Follow-ups are decided from the state after our own fact.
      return [started, ...reconcileDeployment(evolveDeployment(state, started), observation)];
    }
    case 'IN_PROGRESS':
      return progress(state, observation);
    default:
      return assertNever(state);
  }
}

type Pending = Extract<DeploymentState, { status: 'PENDING' }>;
type InProgress = Extract<DeploymentState, { status: 'IN_PROGRESS' }>;

function start(state: Pending, { now, fleet, alarms }: Observation): DeploymentStarted {
  const inScope = instancesToReplace(state, fleet).length;
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
      revisionCounts: countRevisions(state, fleet),
    },
  };
}

/**
 * Every instance in scope already runs the target revision: the deployment is done (decision 5 covers the
 * empty provider). While instances remain, the deployment waits here: the drain → provision → replace
 * batches that replace them are the rollout's own work and are not decided by this function yet.
 */
function progress(state: InProgress, { now, fleet }: Observation): DeploymentEvent[] {
  if (instancesToReplace(state, fleet).length > 0) return [];
  return [{ type: 'DeploymentSucceeded', data: { finishedAt: now } }];
}

/** Instances of the target's providers that do not run the target revision yet. */
function instancesToReplace(state: Pending | InProgress, fleet: FleetView): InstanceRecord[] {
  const target = state.targetRevision;
  if (!target) return [];
  return fleet.instances.filter(
    (instance) =>
      target.capacityProviderArns.includes(instance.capacityProviderArn) &&
      instance.status !== 'DEREGISTERING' &&
      !instance.daemonTasks.some((task) => task.daemonRevisionArn === target.arn && task.running),
  );
}

/** The target revision on each of its providers, and every revision of this daemon found on an instance. */
function countRevisions(state: Pending, fleet: FleetView): RevisionInstanceCounts[] {
  const counts = new Map<string, Map<string, CapacityProviderInstanceCounts>>();
  const slot = (revisionArn: string, capacityProviderArn: string) => {
    const byProvider = counts.get(revisionArn) ?? new Map<string, CapacityProviderInstanceCounts>();
    counts.set(revisionArn, byProvider);
    const existing = byProvider.get(capacityProviderArn) ?? { capacityProviderArn, running: 0, withoutDaemon: 0, draining: 0 };
    byProvider.set(capacityProviderArn, existing);
    return existing;
  };
  for (const arn of state.targetRevision?.capacityProviderArns ?? []) slot(state.targetRevision!.arn, arn);
  for (const instance of fleet.instances) {
    for (const task of instance.daemonTasks.filter((t) => t.daemonArn === state.daemonArn)) {
      const current = slot(task.daemonRevisionArn, instance.capacityProviderArn);
      counts.get(task.daemonRevisionArn)!.set(instance.capacityProviderArn, {
        ...current,
        running: current.running + (task.running ? 1 : 0),
        withoutDaemon: current.withoutDaemon + (task.running ? 0 : 1),
      });
    }
  }
  return [...counts].map(([revisionArn, byProvider]) => ({ revisionArn, capacityProviders: [...byProvider.values()] }));
}
