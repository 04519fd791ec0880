import type { CapacityProviderInstanceCounts, RevisionInstanceCounts } from '@daemonfleet/contracts';
import type { FleetState } from './fleet.state.js';

/**
 * How many instances run, lack, or are draining each revision of one daemon, per capacity provider (spec 3.10):
 * - running: the daemon's task of that revision is RUNNING, draining instances included (decision 17);
 * - without daemon: an instance that was activated but whose task of a non-critical daemon is not running
 *   (decision 21): still starting, or stopped after a failed start until its retry runs; critical daemons never
 *   count here, their instance is simply not active yet (or never, when their task cannot start: spec 3.8);
 * - draining: the instance drains for `drainingFor` (a deployment id) and carries a task of that revision.
 * Invariant: an instance counts in at most one of running and without-daemon.
 */
export function daemonRevisionCounts(daemonArn: string, fleets: Iterable<FleetState>, { drainingFor }: { drainingFor?: string } = {}): RevisionInstanceCounts[] {
  const counts = new Map<string, Map<string, { running: number; withoutDaemon: number; draining: number }>>();
  const slot = (revisionArn: string, capacityProviderArn: string) => {
    const byProvider = counts.get(revisionArn) ?? new Map();
    counts.set(revisionArn, byProvider);
    const existing = byProvider.get(capacityProviderArn) ?? { running: 0, withoutDaemon: 0, draining: 0 };
    byProvider.set(capacityProviderArn, existing);
    return existing;
  };
  for (const fleet of fleets) {
    for (const instance of fleet.instances.values()) {
      const task = instance.daemonTasks.get(daemonArn);
      if (!task) continue;
      const counted = slot(task.daemon.daemonRevisionArn, instance.capacityProviderArn);
      if (task.status === 'RUNNING') counted.running++;
      else if (!task.daemon.critical && instance.activatedAt !== null) counted.withoutDaemon++;
      if (drainingFor !== undefined && instance.drain?.deploymentId === drainingFor) counted.draining++;
    }
  }
  return [...counts].map(([revisionArn, byProvider]) => ({
    revisionArn,
    capacityProviders: [...byProvider].map(([capacityProviderArn, c]): CapacityProviderInstanceCounts => ({ capacityProviderArn, ...c })),
  }));
}
