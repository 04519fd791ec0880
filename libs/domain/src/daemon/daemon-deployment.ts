import type { DeploymentCreated } from '@daemonfleet/contracts';
import type { DaemonState } from './daemon.state.js';

/**
 * What one of the daemon's deployments starts from, built from the daemon's state alone, so the command that
 * created it and the reaction that repairs a crash between the two appends always agree. `sourceRevisionArns`:
 * the daemon's revisions still on instances, other than the target (spec 2.6; decision 7 for a deletion).
 * undefined when the daemon has no such deployment.
 */
export function deploymentCreatedFor(daemon: DaemonState, deploymentId: string, sourceRevisionArns: readonly string[]): DeploymentCreated['data'] | undefined {
  if (daemon.status === 'NONE') return undefined;
  const entry = daemon.deployments.find((d) => d.deploymentId === deploymentId);
  if (!entry) return undefined;
  const revision = entry.targetRevisionArn === null ? undefined : daemon.revisions.find((r) => r.daemonRevisionArn === entry.targetRevisionArn);
  return {
    deploymentId,
    daemonDeploymentArn: entry.deploymentArn,
    daemonArn: daemon.daemonArn,
    clusterArn: daemon.clusterArn,
    targetRevision: revision
      ? {
          arn: revision.daemonRevisionArn,
          daemonTaskDefinitionArn: revision.daemonTaskDefinitionArn,
          capacityProviderArns: revision.capacityProviderArns,
          critical: revision.critical,
        }
      : null,
    sourceRevisionArns: sourceRevisionArns.filter((arn) => arn !== entry.targetRevisionArn),
    deploymentConfiguration: entry.deploymentConfiguration,
    createdAt: entry.createdAt,
  };
}

