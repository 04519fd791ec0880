import type { CapacityProviderInstanceCounts, RevisionInstanceCounts } from '@daemonfleet/contracts';
import type { DeploymentState } from '@daemonfleet/domain';
import { epochSeconds } from './epoch-seconds.js';

type Deployment = Exclude<DeploymentState, { status: 'NONE' }>;

const SUCCESS_REASON = 'Deployment completed successfully.';

/** DescribeDaemonDeployments' `DaemonDeployment` (spec 1.8), rebuilt from the deployment's state alone. */
export function presentDeployment(deployment: Deployment) {
  const counts = deployment.status === 'PENDING' ? [] : deployment.revisionCounts;
  const target = deployment.targetRevision;
  const sourceArns = [...new Set([...deployment.sourceRevisionArns, ...counts.map((c) => c.revisionArn).filter((arn) => arn !== target?.arn)])];
  return {
    daemonDeploymentArn: deployment.daemonDeploymentArn,
    clusterArn: deployment.clusterArn,
    status: deployment.status,
    ...(deployment.status === 'SUCCESSFUL' ? { statusReason: SUCCESS_REASON } : {}),
    ...(target ? { targetDaemonRevision: revisionDetail(target.arn, target.capacityProviderArns, counts) } : {}),
    sourceDaemonRevisions: sourceArns.map((arn) => revisionDetail(arn, [], counts)),
    ...(deployment.status === 'PENDING'
      ? {}
      : {
          circuitBreaker: {
            failureCount: deployment.circuitBreaker.failureCount,
            status: deployment.status === 'SUCCESSFUL' ? 'MONITORING_COMPLETE' : 'MONITORING',
            threshold: deployment.circuitBreaker.threshold,
          },
        }),
    alarms: alarmsOf(deployment),
    deploymentConfiguration: {
      drainPercent: deployment.deploymentConfiguration.drainPercent,
      bakeTimeInMinutes: deployment.deploymentConfiguration.bakeTimeInMinutes,
      alarms: { alarmNames: [...deployment.deploymentConfiguration.alarms.alarmNames], enable: deployment.deploymentConfiguration.alarms.enable },
    },
    createdAt: epochSeconds(deployment.createdAt),
    ...(deployment.status === 'PENDING' ? {} : { startedAt: epochSeconds(deployment.startedAt) }),
    ...(deployment.status === 'SUCCESSFUL' ? { finishedAt: epochSeconds(deployment.finishedAt) } : {}),
  };
}

/** ListDaemonDeployments' summary. */
export function presentDeploymentSummary(deployment: Deployment) {
  const full = presentDeployment(deployment);
  return {
    daemonDeploymentArn: full.daemonDeploymentArn,
    daemonArn: deployment.daemonArn,
    clusterArn: full.clusterArn,
    status: full.status,
    statusReason: full.statusReason,
    targetDaemonRevisionArn: deployment.targetRevision?.arn,
    createdAt: full.createdAt,
    startedAt: full.startedAt,
    finishedAt: full.finishedAt,
  };
}

/** Monitoring is on when enabled with at least one alarm; it completes with a successful deployment (spec 3.5). */
function alarmsOf(deployment: Deployment) {
  const { enable, alarmNames } = deployment.deploymentConfiguration.alarms;
  const monitored = deployment.status === 'PENDING' ? (enable ? alarmNames : []) : deployment.alarms.monitored;
  const triggered = deployment.status === 'PENDING' ? [] : deployment.alarms.triggered;
  const status = monitored.length === 0 ? 'DISABLED' : deployment.status === 'SUCCESSFUL' ? 'MONITORING_COMPLETE' : 'MONITORING';
  return { status, alarmNames: [...monitored], triggeredAlarmNames: [...triggered] };
}

/** Per-provider counts of one revision, and their totals; providers with no entry count zero. */
function revisionDetail(revisionArn: string, capacityProviderArns: readonly string[], counts: readonly RevisionInstanceCounts[]) {
  const known = counts.find((c) => c.revisionArn === revisionArn)?.capacityProviders ?? [];
  const providers: CapacityProviderInstanceCounts[] = [
    ...known,
    ...capacityProviderArns
      .filter((arn) => !known.some((k) => k.capacityProviderArn === arn))
      .map((capacityProviderArn) => ({ capacityProviderArn, running: 0, withoutDaemon: 0, draining: 0 })),
  ];
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
