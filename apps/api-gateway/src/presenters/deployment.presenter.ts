import type { CapacityProviderInstanceCounts, DaemonDeploymentStatus, RevisionInstanceCounts } from '@daemonfleet/contracts';
import { isTerminal, type DeploymentState } from '@daemonfleet/domain';
import { epochSeconds } from './epoch-seconds.js';

type Deployment = Exclude<DeploymentState, { status: 'NONE' }>;

/**
 * The wire's status for each of the domain's. They are the same words: a domain status the wire does not have
 * (an internal phase) stops compiling here, and is mapped here.
 */
const wireStatus = (status: Deployment['status']): DaemonDeploymentStatus => status;

/**
 * DescribeDaemonDeployments' `DaemonDeployment` (spec 1.8): the deployment's state, with `counts` per revision and
 * capacity provider as the domain's `deploymentCounts` makes them (the live ones while it runs, the final ones once
 * it is finished; the caller chooses). Every revision counted that is not the target is a source (the revision a
 * rollback returns to among them). Fields that only some statuses have (startedAt, stoppedAt, finishedAt,
 * statusReason, the circuit breaker, the rollback) are shown when the state has them, so a new status needs no
 * change here. stoppedAt is set from STOP_REQUESTED on (spec 3.11), so a rolled-back deployment shows when its
 * forward progress stopped and when its rollback finished.
 */
export function presentDeployment(deployment: Deployment, counts: readonly RevisionInstanceCounts[]) {
  const target = deployment.targetRevision;
  const found = counts.map((c) => c.revisionArn).filter((arn) => arn !== target?.arn);
  const sourceArns = [...new Set([...deployment.sourceRevisionArns, ...found])];
  return {
    daemonDeploymentArn: deployment.daemonDeploymentArn,
    clusterArn: deployment.clusterArn,
    ...lifecycle(deployment),
    ...(target ? { targetDaemonRevision: revisionDetail(target.arn, counts) } : {}),
    sourceDaemonRevisions: sourceArns.map((arn) => revisionDetail(arn, counts)),
    ...('circuitBreaker' in deployment ? { circuitBreaker: circuitBreakerOf(deployment) } : {}),
    alarms: alarmsOf(deployment),
    ...('rollback' in deployment ? { rollback: rollbackOf(deployment) } : {}),
    deploymentConfiguration: {
      drainPercent: deployment.deploymentConfiguration.drainPercent,
      bakeTimeInMinutes: deployment.deploymentConfiguration.bakeTimeInMinutes,
      alarms: { alarmNames: [...deployment.deploymentConfiguration.alarms.alarmNames], enable: deployment.deploymentConfiguration.alarms.enable },
    },
  };
}

/** ListDaemonDeployments' summary. */
export function presentDeploymentSummary(deployment: Deployment) {
  return {
    daemonDeploymentArn: deployment.daemonDeploymentArn,
    daemonArn: deployment.daemonArn,
    clusterArn: deployment.clusterArn,
    ...lifecycle(deployment),
    ...(deployment.targetRevision ? { targetDaemonRevisionArn: deployment.targetRevision.arn } : {}),
  };
}

/** Status, reason and the times of the transitions the deployment went through. */
function lifecycle(deployment: Deployment) {
  // A deployment stopped while PENDING never started: its startedAt is null.
  const startedAt = 'startedAt' in deployment ? deployment.startedAt : null;
  return {
    status: wireStatus(deployment.status),
    ...('statusReason' in deployment ? { statusReason: deployment.statusReason } : {}),
    createdAt: epochSeconds(deployment.createdAt),
    ...(startedAt === null ? {} : { startedAt: epochSeconds(startedAt) }),
    ...('stoppedAt' in deployment ? { stoppedAt: epochSeconds(deployment.stoppedAt) } : {}),
    ...('finishedAt' in deployment ? { finishedAt: epochSeconds(deployment.finishedAt) } : {}),
  };
}

/** TRIGGERED once the count reached the threshold (decision 1: the count stops there), MONITORING_COMPLETE once finished. */
function circuitBreakerOf(deployment: Extract<Deployment, { circuitBreaker: unknown }>) {
  const { failureCount, threshold } = deployment.circuitBreaker;
  const status = failureCount >= threshold ? 'TRIGGERED' : isTerminal(deployment) ? 'MONITORING_COMPLETE' : 'MONITORING';
  return { failureCount, status, threshold };
}

/** Monitoring is on when enabled with at least one alarm, and complete once the deployment is finished (spec 3.5). */
function alarmsOf(deployment: Deployment) {
  const { enable, alarmNames } = deployment.deploymentConfiguration.alarms;
  const monitored = 'alarms' in deployment ? deployment.alarms.monitored : enable ? alarmNames : [];
  const triggered = 'alarms' in deployment ? deployment.alarms.triggered : [];
  const status =
    monitored.length === 0 ? 'DISABLED' : triggered.length > 0 ? 'TRIGGERED' : isTerminal(deployment) ? 'MONITORING_COMPLETE' : 'MONITORING';
  return { status, alarmNames: [...monitored], triggeredAlarmNames: [...triggered] };
}

/** The rollback (spec 1.8, 3.7): why, since when, to which revision, over which providers. */
function rollbackOf({ rollback }: Extract<Deployment, { rollback: unknown }>) {
  return {
    reason: rollback.reason,
    startedAt: epochSeconds(rollback.startedAt),
    rollbackTargetDaemonRevisionArn: rollback.rollbackTargetDaemonRevisionArn,
    rollbackCapacityProviders: [...rollback.rollbackCapacityProviders],
  };
}

/** Per-provider counts of one revision, and their totals; a revision not counted has no provider and counts 0. */
function revisionDetail(revisionArn: string, counts: readonly RevisionInstanceCounts[]) {
  const providers = counts.find((c) => c.revisionArn === revisionArn)?.capacityProviders ?? [];
  const total = (pick: (c: CapacityProviderInstanceCounts) => number) => providers.reduce((sum, c) => sum + pick(c), 0);
  return {
    arn: revisionArn,
    capacityProviders: providers.map((c) => ({
      arn: c.capacityProviderArn,
      runningInstanceCount: c.running,
      withoutDaemonInstanceCount: c.withoutDaemon,
      drainingInstanceCount: c.draining,
    })),
    totalRunningInstanceCount: total((c) => c.running),
    totalWithoutDaemonInstanceCount: total((c) => c.withoutDaemon),
    totalDrainingInstanceCount: total((c) => c.draining),
  };
}
