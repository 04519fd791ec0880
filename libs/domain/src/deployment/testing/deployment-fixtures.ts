import type { CapacityProviderInstanceCounts, DeploymentEvent, DeploymentTargetRevision, PlannedDaemonTask, RevisionInstanceCounts } from '@daemonfleet/contracts';
import type { ReconcileDeployment, StopDeployment } from '../deployment.decider.js';
import type { AlarmView } from '../observations.js';
import { created, daemonArn, deploymentId, providerArn, revisionArn, target, taskDefinitionArn } from './rollout-harness.js';
import { SimulatedFleet } from './simulated-fleet.js';

/**
 * Fixtures of the deployment's given/when/then tests: the events a deployment records and the observations it
 * reconciles from, with fixed ids and a fixed instant (no randomness).
 */

export const now = 1_742_040_000_000;
export const mi = providerArn('mi');
export const mi2 = providerArn('mi2');
export const removed = providerArn('removed');

/** The revision the daemon ran before the target: what a rollback returns to. */
export const previous: DeploymentTargetRevision = { arn: revisionArn('previous'), daemonTaskDefinitionArn: taskDefinitionArn(1), capacityProviderArns: [mi], critical: true };

export function world(): SimulatedFleet {
  const fleet = new SimulatedFleet([mi, mi2, removed]);
  fleet.now = now;
  return fleet;
}

/** A new instance, moved along until nothing more is due for it. */
export function active(fleet: SimulatedFleet, provider: string, daemons: PlannedDaemonTask[] = []): string {
  const id = fleet.provision(provider, daemons);
  fleet.settle(id);
  return id;
}

/** Drains the instance for this deployment (fence 3) and lets the fleet go as far as it can. Answers the replacement. */
export function replace(fleet: SimulatedFleet, instanceId: string, replacementDaemon: PlannedDaemonTask | null): string {
  const replacement = fleet.drain(fleet.instance(instanceId)!, deploymentId, 3, daemonArn, replacementDaemon);
  fleet.settle(replacement);
  fleet.settle(instanceId);
  return replacement;
}

export const observe = (
  fleet: SimulatedFleet,
  {
    at = now,
    bakeDurationMs = 0,
    alarms = {} as AlarmView,
    failedStarts = {} as Record<string, number>,
    previousRevision = null as DeploymentTargetRevision | null,
  } = {},
): ReconcileDeployment => ({
  type: 'ReconcileDeployment',
  data: { now: at, fleets: [...fleet.fleets.values()], alarms, bakeDurationMs, failedStarts, previousRevision },
});

export const supersede = (fleet = world()): StopDeployment => ({
  type: 'StopDeployment',
  data: { reason: 'SUPERSEDED', supersededBy: 'arn:newer', now, fleets: [...fleet.fleets.values()] },
});

export const createdEvent = (...args: Parameters<typeof created>): DeploymentEvent => ({ type: 'DeploymentCreated', data: created(...args) });

export const zero = (capacityProviderArn: string): CapacityProviderInstanceCounts => ({ capacityProviderArn, running: 0, withoutDaemon: 0, draining: 0 });
export const counts = (revision: string, provider: string, values: Partial<CapacityProviderInstanceCounts> = {}): RevisionInstanceCounts => ({
  revisionArn: revision,
  capacityProviders: [{ ...zero(provider), ...values }],
});

export const started = ({
  n,
  batch,
  counts: revisionCounts = [],
  monitoredAlarmNames = [],
  alarmsInAlarmAtStart = [],
  timesInAlarmAtStart = {},
}: {
  n: number;
  batch: number;
  counts?: RevisionInstanceCounts[];
  monitoredAlarmNames?: string[];
  alarmsInAlarmAtStart?: string[];
  timesInAlarmAtStart?: Record<string, number>;
}): DeploymentEvent => ({
  type: 'DeploymentStarted',
  data: { startedAt: now, instancesInScope: n, batchSize: batch, circuitBreakerThreshold: 10, monitoredAlarmNames, alarmsInAlarmAtStart, timesInAlarmAtStart, revisionCounts },
});

const inScope = (ids: string[], capacityProviderArn: string) => ids.map((instanceId) => ({ instanceId, capacityProviderArn }));

export const requested = (batch: number, ids: string[], provider = mi, at = now): DeploymentEvent => ({
  type: 'InstanceDrainsRequested',
  data: { batch, instances: inScope(ids, provider), requestedAt: at },
});

export const replaced = (batch: number, pairs: [string, string][], provider = mi): DeploymentEvent => ({
  type: 'InstancesReplaced',
  data: { batch, instances: pairs.map(([instanceId, replacementInstanceId]) => ({ instanceId, capacityProviderArn: provider, replacementInstanceId })), replacedAt: now },
});

export const bakeStarted = (bakeEndsAt: number): DeploymentEvent => ({ type: 'DeploymentBakeStarted', data: { bakeStartedAt: now, bakeEndsAt } });

export const breakerFailures = (failureCount: number): DeploymentEvent => ({ type: 'CircuitBreakerFailuresRecorded', data: { failureCount, recordedAt: now } });

export const alarmsTriggered = (alarmNames: string[], at = now): DeploymentEvent => ({ type: 'DeploymentAlarmsTriggered', data: { alarmNames, triggeredAt: at } });

export const stopRequested = (reason: 'CIRCUIT_BREAKER' | 'ALARM', statusReason: string, at = now): DeploymentEvent => ({
  type: 'DeploymentStopRequested',
  data: { reason, statusReason, requestedAt: at },
});

/** The rollback from `from` (by default the target) to `rollbackTarget`. */
export const rollbackStarted = (reason: string, { rollbackTarget = previous, from = target(), batchSize = 1, at = now } = {}): DeploymentEvent => ({
  type: 'DeploymentRollbackStarted',
  data: {
    rollback: { reason, startedAt: at, rollbackTargetDaemonRevisionArn: rollbackTarget.arn, rollbackCapacityProviders: [...new Set([...rollbackTarget.capacityProviderArns, ...from.capacityProviderArns])] },
    rollbackTarget,
    batchSize,
  },
});

