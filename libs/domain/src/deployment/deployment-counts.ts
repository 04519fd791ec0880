import type { DeploymentCountsObserved, DeploymentCreated, EpochMillis, RevisionInstanceCounts } from '@daemonfleet/contracts';
import { daemonRevisionCounts } from '../fleet/daemon-counts.js';
import type { FleetState } from '../fleet/fleet.state.js';
import type { DeploymentState } from './deployment.state.js';

/**
 * The counts a deployment records (spec 3.10, docs/rollout.md "Counts"): `daemonRevisionCounts` of its daemon over
 * the observed fleets, draining meaning draining for this deployment. The target revision comes first and lists
 * each of its providers, with zeros where no instance counts (decision 5: an empty provider shows 0).
 */
export function deploymentCounts(deployment: DeploymentCreated['data'], fleets: readonly FleetState[]): RevisionInstanceCounts[] {
  const counted = daemonRevisionCounts(deployment.daemonArn, fleets, { drainingFor: deployment.deploymentId });
  const target = deployment.targetRevision;
  if (!target) return counted;
  const found = counted.find((c) => c.revisionArn === target.arn)?.capacityProviders ?? [];
  const zero = (capacityProviderArn: string) => ({ capacityProviderArn, running: 0, withoutDaemon: 0, draining: 0 });
  const targetCounts: RevisionInstanceCounts = {
    revisionArn: target.arn,
    capacityProviders: [
      ...target.capacityProviderArns.map((arn) => found.find((c) => c.capacityProviderArn === arn) ?? zero(arn)),
      ...found.filter((c) => !target.capacityProviderArns.includes(c.capacityProviderArn)),
    ],
  };
  return [targetCounts, ...counted.filter((c) => c.revisionArn !== target.arn)];
}

/**
 * The counts a deployment shows (DescribeDaemonDeployments): the last it recorded on its own events, so its stream
 * alone says what it showed at each version. Before its start has recorded any (PENDING), the target's providers
 * at zero, as for an empty fleet.
 */
export function recordedDeploymentCounts(deployment: Exclude<DeploymentState, { status: 'NONE' }>): readonly RevisionInstanceCounts[] {
  return 'revisionCounts' in deployment ? deployment.revisionCounts : deploymentCounts(deployment, []);
}

/**
 * DeploymentCountsObserved when the counts observed now differ from those last recorded, while the deployment moves
 * instances (IN_PROGRESS, STOP_REQUESTED, ROLLBACK_IN_PROGRESS); nothing otherwise. A PENDING deployment records its
 * first counts when it starts, a finished one the counts it ended with. Observing the same fleet again records
 * nothing, so any number of observations between two fleet changes adds one event at most.
 */
export function observeDeploymentCounts(state: DeploymentState, fleets: readonly FleetState[], now: EpochMillis): DeploymentCountsObserved[] {
  if (state.status !== 'IN_PROGRESS' && state.status !== 'STOP_REQUESTED' && state.status !== 'ROLLBACK_IN_PROGRESS') return [];
  const revisionCounts = deploymentCounts(state, fleets);
  return sameCounts(revisionCounts, state.revisionCounts) ? [] : [{ type: 'DeploymentCountsObserved', data: { revisionCounts, observedAt: now } }];
}

/** Equal counts, whatever the order of revisions and providers (the fleet's instance order decides it). */
function sameCounts(a: readonly RevisionInstanceCounts[], b: readonly RevisionInstanceCounts[]): boolean {
  const keyed = (counts: readonly RevisionInstanceCounts[]) =>
    counts
      .flatMap(({ revisionArn, capacityProviders }) => capacityProviders.map((c) => `${revisionArn} ${c.capacityProviderArn} ${c.running} ${c.withoutDaemon} ${c.draining}`))
      .sort()
      .join('\n');
  return keyed(a) === keyed(b);
}
