import { Streams } from '@daemonfleet/contracts';
import { Arns, type ClusterReference, type DaemonReference, type LiveDaemon } from '@daemonfleet/domain';
import { PathResourceNotFound } from '../http/ecs-errors.js';
import type { DaemonQueries, KnownDaemon } from '../read-models/daemon.queries.js';
import type { FleetQueries } from '../read-models/fleet.queries.js';

// The resources a request names, or 404 with their ECS exception. Each waits for the read models (read your writes).

export async function existingCluster(fleet: FleetQueries, cluster: ClusterReference): Promise<ClusterReference> {
  if (!(await fleet.cluster(Streams.cluster(cluster.scope, cluster.clusterName))))
    throw new PathResourceNotFound('ClusterNotFoundException', `Cluster not found: ${cluster.clusterName}`);
  return cluster;
}

/** A daemon that exists: a removed one is not found (spec 1.6). */
export async function existingDaemon(daemons: DaemonQueries, { scope, clusterName, daemonName }: DaemonReference): Promise<LiveDaemon> {
  const daemon = await daemons.daemon(Streams.daemon(scope, clusterName, daemonName));
  if (!daemon) throw new PathResourceNotFound('DaemonNotFoundException', `Daemon not found: ${Arns.daemon(scope, clusterName, daemonName)}`);
  return daemon;
}

/**
 * A daemon that exists or existed: its history (revisions, deployments) still answers once it is removed
 * (decision 7). One that never existed is a ClientException (decision 11).
 */
export async function daemonHistory(daemons: DaemonQueries, { scope, clusterName, daemonName }: DaemonReference): Promise<KnownDaemon> {
  const daemon = await daemons.history(Streams.daemon(scope, clusterName, daemonName));
  if (!daemon) throw new PathResourceNotFound('ClientException', `Daemon not found: ${Arns.daemon(scope, clusterName, daemonName)}`);
  return daemon;
}
