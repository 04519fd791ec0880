import type { DaemonRevisionCreated, DeploymentCreated } from '@daemonfleet/contracts';

/**
 * What a new daemon revision's deployment starts from. Both the command that creates the revision and the
 * reaction that repairs a crash between the two appends build it here, so they always agree.
 */
export function deploymentFor(revision: DaemonRevisionCreated['data'], clusterArn: string, sourceRevisionArns: readonly string[]): DeploymentCreated['data'] {
  return {
    deploymentId: revision.deploymentId,
    daemonDeploymentArn: revision.deploymentArn,
    daemonArn: revision.daemonArn,
    clusterArn,
    targetRevision: {
      arn: revision.revision.daemonRevisionArn,
      daemonTaskDefinitionArn: revision.revision.daemonTaskDefinitionArn,
      capacityProviderArns: revision.revision.capacityProviderArns,
      critical: revision.revision.critical,
    },
    sourceRevisionArns,
    deploymentConfiguration: revision.deploymentConfiguration,
    createdAt: revision.createdAt,
  };
}
