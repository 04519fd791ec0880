import type { DaemonEvent, DeploymentEvent, RevisionInstanceCounts } from '@daemonfleet/contracts';
import { ARN, CLUSTER_ARN, daemonArn, revisionArn, T0 } from './fleet.fixtures.js';

/**
 * Daemon and deployment events as the orchestrator appends them (contracts' shapes), for the gateway's specs:
 * daemons of cluster `prod` whose revision n runs task definition `<daemon>-agent:n`.
 */

export const deploymentConfiguration = { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } };
export const deploymentArn = (daemon: string, deploymentId: string) => `${ARN}:daemon-deployment/prod/${daemon}/${deploymentId}`;
const taskDefinitionArn = (daemon: string, revisionId: string) => `${ARN}:daemon-task-definition/${daemon}-agent:${revisionId}`;

export function daemonCreated(daemon: string): DaemonEvent {
  return { type: 'DaemonCreated', data: { daemonArn: daemonArn(daemon), daemonName: daemon, clusterArn: CLUSTER_ARN, tags: [], clientToken: null, requestFingerprint: 'f', createdAt: T0 } };
}

export function revisionCreated(daemon: string, revisionId: string, deploymentId: string, { at = T0, capacityProviderArns = [] as string[] } = {}): DaemonEvent {
  return {
    type: 'DaemonRevisionCreated',
    data: {
      daemonArn: daemonArn(daemon),
      revision: {
        daemonRevisionArn: revisionArn(daemon, revisionId),
        revisionId,
        daemonTaskDefinitionArn: taskDefinitionArn(daemon, revisionId),
        capacityProviderArns,
        propagateTags: 'NONE',
        enableECSManagedTags: false,
        enableExecuteCommand: false,
        critical: true,
        containerImages: [],
        createdAt: at,
      },
      deploymentConfiguration,
      deploymentId,
      deploymentArn: deploymentArn(daemon, deploymentId),
      createdAt: at,
    },
  };
}

/** A deployment of revision `target` (null: a delete deployment) from the revisions `sources`. */
export function deploymentCreated(
  daemon: string,
  deploymentId: string,
  target: string | null,
  sources: readonly string[],
  { at = T0, capacityProviderArns = [] as string[] } = {},
): DeploymentEvent {
  return {
    type: 'DeploymentCreated',
    data: {
      deploymentId,
      daemonDeploymentArn: deploymentArn(daemon, deploymentId),
      daemonArn: daemonArn(daemon),
      clusterArn: CLUSTER_ARN,
      targetRevision:
        target === null ? null : { arn: revisionArn(daemon, target), daemonTaskDefinitionArn: taskDefinitionArn(daemon, target), capacityProviderArns, critical: true },
      sourceRevisionArns: sources.map((id) => revisionArn(daemon, id)),
      deploymentConfiguration,
      createdAt: at,
    },
  };
}

export function deploymentStarted(at: number): DeploymentEvent {
  return {
    type: 'DeploymentStarted',
    data: { startedAt: at, instancesInScope: 2, batchSize: 1, circuitBreakerThreshold: 10, monitoredAlarmNames: [], alarmsInAlarmAtStart: [], timesInAlarmAtStart: {}, revisionCounts: [] },
  };
}

export function deploymentSucceeded(at: number, finalCounts: readonly RevisionInstanceCounts[]): DeploymentEvent {
  return { type: 'DeploymentSucceeded', data: { finishedAt: at, finalCounts } };
}

/** The counts the orchestrator saw the fleet move to while the deployment rolls. */
export function countsObserved(at: number, revisionCounts: readonly RevisionInstanceCounts[]): DeploymentEvent {
  return { type: 'DeploymentCountsObserved', data: { revisionCounts, observedAt: at } };
}
