import type { DeploymentCreated, RevisionInstanceCounts } from '@daemonfleet/contracts';
import { daemonRevisionCounts } from '../fleet/daemon-counts.js';
import type { FleetState } from '../fleet/fleet.state.js';

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
