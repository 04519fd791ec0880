import { Injectable } from '@nestjs/common';
import { Streams, type RevisionInstanceCounts } from '@daemonfleet/contracts';
import {
  daemonRevisionCounts,
  isLiveDaemon,
  latestDeployment,
  latestRevision,
  recordedDeploymentCounts,
  type DaemonState,
  type DeploymentState,
  type LiveDaemon,
} from '@daemonfleet/domain';
import { FleetQueries } from './fleet.queries.js';
import { ReadModelFeed } from './read-model-feed.js';
import { ReadModels } from './read-models.js';

/** A daemon that exists now or existed: a removed daemon keeps its revisions and deployments (decision 7). */
export type KnownDaemon = Exclude<DaemonState, { status: 'NONE' }>;
export type KnownDeployment = Exclude<DeploymentState, { status: 'NONE' }>;

/** Daemons and their deployments as the gateway's read models hold them; every answer reads its writes. */
@Injectable()
export class DaemonQueries {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: ReadModelFeed,
    private readonly fleet: FleetQueries,
  ) {}

  /** The daemon of that stream, unless it never existed or was removed (spec 1.6). */
  async daemon(streamId: string): Promise<LiveDaemon | undefined> {
    const known = await this.history(streamId);
    return known && this.isPresent(known) ? known : undefined;
  }

  /**
   * A daemon is gone as soon as its delete deployment succeeded (decision 7), even in the moment before the
   * orchestrator records the removal: a client that saw the deployment succeed never sees the daemon again.
   */
  private isPresent(daemon: KnownDaemon): daemon is LiveDaemon {
    if (!isLiveDaemon(daemon)) return false;
    if (daemon.status !== 'DELETE_IN_PROGRESS') return true;
    const latest = latestDeployment(daemon);
    return latest === undefined || this.readModels.deployments.get(Streams.daemonDeployment(latest.deploymentId))?.status !== 'SUCCESSFUL';
  }

  /** The daemon of that stream, removed or not: its history. */
  async history(streamId: string): Promise<KnownDaemon | undefined> {
    await this.feed.fresh();
    const state = this.readModels.daemons.get(streamId);
    return state?.status === 'NONE' ? undefined : state;
  }

  /** ListDaemons: the cluster's daemons, those on any of the given providers when some are given (spec 2.9). */
  async daemonsOf(clusterArn: string, capacityProviderArns: readonly string[]): Promise<LiveDaemon[]> {
    await this.feed.fresh();
    return [...this.readModels.daemons.values()]
      .filter((daemon): daemon is LiveDaemon => daemon.status !== 'NONE' && this.isPresent(daemon) && daemon.clusterArn === clusterArn)
      .filter(
        (daemon) =>
          capacityProviderArns.length === 0 || (latestRevision(daemon)?.capacityProviderArns ?? []).some((arn) => capacityProviderArns.includes(arn)),
      );
  }

  async deployment(deploymentId: string): Promise<KnownDeployment | undefined> {
    return (await this.deploymentAtVersion(deploymentId))?.deployment;
  }

  /** The deployment with the version of its stream it reflects, read together: what Describe showed at that version. */
  async deploymentAtVersion(deploymentId: string): Promise<{ deployment: KnownDeployment; version: number } | undefined> {
    await this.feed.fresh();
    const stream = Streams.daemonDeployment(deploymentId);
    const deployment = this.readModels.deployments.get(stream);
    return deployment === undefined || deployment.status === 'NONE' ? undefined : { deployment, version: this.readModels.deployments.version(stream) };
  }

  /** The daemon's deployments that the read models have, oldest first. Call after a freshness wait. */
  deploymentsOf(daemon: KnownDaemon): KnownDeployment[] {
    return daemon.deployments
      .map(({ deploymentId }) => this.readModels.deployments.get(Streams.daemonDeployment(deploymentId)))
      .filter((deployment): deployment is KnownDeployment => deployment !== undefined && deployment.status !== 'NONE');
  }

  /** DescribeDaemon's counts: the fleet of the daemon's cluster now (spec 3.10). Call after a freshness wait. */
  currentCounts(daemon: LiveDaemon): RevisionInstanceCounts[] {
    return daemonRevisionCounts(daemon.daemonArn, this.fleet.fleetsOf(daemon.clusterArn));
  }

  /**
   * A deployment's counts (docs/rollout.md "Counts"): the last its own events recorded (the orchestrator records
   * them as the fleet moves, a finished deployment those it ended with), never the fleet now, so the deployment at
   * any version of its stream is what Describe answered then (the replay API's state at a version).
   */
  deploymentCounts(deployment: KnownDeployment): readonly RevisionInstanceCounts[] {
    return recordedDeploymentCounts(deployment);
  }
}
