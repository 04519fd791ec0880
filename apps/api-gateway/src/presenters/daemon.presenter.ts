import type { DaemonCommandResult, DaemonRevisionSpec, RevisionInstanceCounts } from '@daemonfleet/contracts';
import { latestDeployment, type DaemonState } from '@daemonfleet/domain';
import { epochSeconds } from './epoch-seconds.js';

type Daemon = Exclude<DaemonState, { status: 'NONE' }>;

/**
 * DescribeDaemon's `daemon`, with `counts` from the fleet now. `currentRevisions` lists each revision with at
 * least one running or without-daemon instance, newest first (decision 16).
 */
export function presentDaemon(daemon: Daemon, counts: readonly RevisionInstanceCounts[]) {
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

/** UpdateDaemon's and DeleteDaemon's answer (spec 2.6, 2.7). */
export function presentDaemonCommandResult(result: DaemonCommandResult) {
  return {
    daemonArn: result.daemonArn,
    status: result.status,
    createdAt: epochSeconds(result.createdAt),
    updatedAt: epochSeconds(result.updatedAt),
    deploymentArn: result.deploymentArn,
  };
}

/** DescribeDaemonRevisions' `DaemonRevision` (spec 1.7). */
export function presentDaemonRevision(daemon: Daemon, revision: DaemonRevisionSpec) {
  return {
    daemonRevisionArn: revision.daemonRevisionArn,
    clusterArn: daemon.clusterArn,
    daemonArn: daemon.daemonArn,
    daemonTaskDefinitionArn: revision.daemonTaskDefinitionArn,
    createdAt: epochSeconds(revision.createdAt),
    containerImages: revision.containerImages.map(({ containerName, image, imageDigest }) => ({ containerName, image, imageDigest })),
    propagateTags: revision.propagateTags,
    enableECSManagedTags: revision.enableECSManagedTags,
    enableExecuteCommand: revision.enableExecuteCommand,
    critical: revision.critical,
  };
}
