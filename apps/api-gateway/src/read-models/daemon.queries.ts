import { Injectable } from '@nestjs/common';
import { Streams } from '@daemonfleet/contracts';
import { latestDeployment, latestRevision, type DaemonState, type DeploymentState } from '@daemonfleet/domain';
import { ReadModelFeed } from './read-model-feed.js';
import { ReadModels } from './read-models.js';

export type ActiveDaemon = Exclude<DaemonState, { status: 'NONE' }>;
export type KnownDeployment = Exclude<DeploymentState, { status: 'NONE' }>;

/** Daemons and their deployments as the gateway's read models hold them; every answer reads its writes. */
@Injectable()
export class DaemonQueries {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: ReadModelFeed,
  ) {}

  async daemon(streamId: string): Promise<ActiveDaemon | undefined> {
    await this.feed.fresh();
    return this.asDaemon(this.readModels.daemons.get(streamId));
  }

  /** ListDaemons: the cluster's daemons, those on any of the given providers when some are given (spec 2.9). */
  async daemonsOf(clusterArn: string, capacityProviderArns: readonly string[]): Promise<ActiveDaemon[]> {
    await this.feed.fresh();
    return [...this.readModels.daemons.values()]
      .map((state) => this.asDaemon(state))
      .filter((daemon): daemon is ActiveDaemon => daemon?.clusterArn === clusterArn)
      .filter(
        (daemon) =>
          capacityProviderArns.length === 0 || (latestRevision(daemon)?.capacityProviderArns ?? []).some((arn) => capacityProviderArns.includes(arn)),
      );
  }

  async deployment(deploymentId: string): Promise<KnownDeployment | undefined> {
    await this.feed.fresh();
    const deployment = this.readModels.deployments.get(Streams.daemonDeployment(deploymentId));
    return deployment?.status === 'NONE' ? undefined : deployment;
  }

  /** The daemon's deployments that the read models have, in the daemon's order. Call after a freshness wait. */
  deploymentsOf(daemon: ActiveDaemon): KnownDeployment[] {
    return daemon.deployments
      .map(({ deploymentId }) => this.readModels.deployments.get(Streams.daemonDeployment(deploymentId)))
      .filter((deployment): deployment is KnownDeployment => deployment !== undefined && deployment.status !== 'NONE');
  }

  /** The daemon's most recent deployment. Call after a freshness wait. */
  latestDeploymentOf(daemon: ActiveDaemon): DeploymentState | undefined {
    const latest = latestDeployment(daemon);
    return latest && this.readModels.deployments.get(Streams.daemonDeployment(latest.deploymentId));
  }

  private asDaemon(state: DaemonState | undefined): ActiveDaemon | undefined {
    return state && state.status !== 'NONE' ? state : undefined;
  }
}
