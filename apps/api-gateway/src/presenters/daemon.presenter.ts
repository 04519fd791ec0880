import type { DaemonState, DeploymentState } from '@daemonfleet/domain';
import { latestDeployment } from '@daemonfleet/domain';
import { epochSeconds } from './epoch-seconds.js';

type Daemon = Exclude<DaemonState, { status: 'NONE' }>;

/**
 * DescribeDaemon's `daemon`. `currentRevisions` lists each revision with at least one running or without-daemon
 * instance, newest first (decision 16), as the daemon's latest deployment counted them.
 */
export function presentDaemon(daemon: Daemon, latest: DeploymentState | undefined) {
  const counts = latest && latest.status !== 'NONE' && latest.status !== 'PENDING' ? latest.revisionCounts : [];
  const newestFirst = [...daemon.revisions].reverse();
  const currentRevisions = newestFirst.flatMap((revision) => {
    const providers = counts.find((c) => c.revisionArn === revision.daemonRevisionArn)?.capacityProviders ?? [];
    const totalRunningCount = providers.reduce((sum, c) => sum + c.running, 0);
    const totalWithoutDaemonCount = providers.reduce((sum, c) => sum + c.withoutDaemon, 0);
    if (totalRunningCount + totalWithoutDaemonCount === 0) return [];
    return [
      {
        arn: revision.daemonRevisionArn,
        capacityProviders: providers.map((c) => ({ arn: c.capacityProviderArn, runningCount: c.running, withoutDaemonCount: c.withoutDaemon })),
        totalRunningCount,
        totalWithoutDaemonCount,
      },
    ];
  });
  return {
    daemonArn: daemon.daemonArn,
    clusterArn: daemon.clusterArn,
    status: daemon.status,
    currentRevisions,
    deploymentArn: latestDeployment(daemon)?.deploymentArn,
    createdAt: epochSeconds(daemon.createdAt),
    updatedAt: epochSeconds(daemon.updatedAt),
  };
}

/** ListDaemons' summary. */
export function presentDaemonSummary(daemon: Daemon) {
  return { daemonArn: daemon.daemonArn, status: daemon.status, createdAt: epochSeconds(daemon.createdAt), updatedAt: epochSeconds(daemon.updatedAt) };
}
