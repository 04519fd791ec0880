import { Injectable } from '@nestjs/common';
import { Streams, type Scope } from '@daemonfleet/contracts';
import { parseEcsArn, type ActiveCapacityProvider, type ClusterReference, type ClusterState, type FleetState } from '@daemonfleet/domain';
import { ReadModelFeed } from './read-model-feed.js';
import { ReadModels } from './read-models.js';

type ActiveCluster = Extract<ClusterState, { status: 'ACTIVE' }>;

const inScope = (arn: string, scope: Scope) => {
  const parsed = parseEcsArn(arn);
  return parsed?.scope.accountId === scope.accountId && parsed.scope.region === scope.region;
};

/** Clusters and capacity providers as the gateway's read models hold them; every answer reads its writes. */
@Injectable()
export class FleetQueries {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: ReadModelFeed,
  ) {}

  async cluster(streamId: string): Promise<ActiveCluster | undefined> {
    await this.feed.fresh();
    const cluster = this.readModels.clusters.get(streamId);
    return cluster?.status === 'ACTIVE' ? cluster : undefined;
  }

  async clusters(scope: Scope): Promise<ActiveCluster[]> {
    await this.feed.fresh();
    return [...this.readModels.clusters.values()]
      .filter((c): c is ActiveCluster => c.status === 'ACTIVE' && inScope(c.clusterArn, scope))
      .sort((a, b) => a.clusterName.localeCompare(b.clusterName));
  }

  async capacityProvider(streamId: string): Promise<ActiveCapacityProvider | undefined> {
    await this.feed.fresh();
    const provider = this.readModels.capacityProviders.get(streamId);
    return provider?.status === 'ACTIVE' ? provider : undefined;
  }

  async capacityProviders(scope: Scope): Promise<ActiveCapacityProvider[]> {
    await this.feed.fresh();
    return this.activeProviders(scope).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The names of the Managed Instances providers bound to a cluster. Call after a freshness wait. */
  capacityProviderNamesOf(scope: Scope, clusterName: string): string[] {
    return this.providersOf({ scope, clusterName })
      .map((p) => p.name)
      .sort();
  }

  /** The Managed Instances providers bound to a cluster, with their fleets. Call after a freshness wait. */
  providersOf(cluster: ClusterReference): ActiveCapacityProvider[] {
    return this.activeProviders(cluster.scope).filter((p) => p.clusterName === cluster.clusterName);
  }

  /** The provider of this ARN. Call after a freshness wait. */
  capacityProviderByArn(capacityProviderArn: string): ActiveCapacityProvider | undefined {
    const arn = parseEcsArn(capacityProviderArn);
    if (arn?.resourceType !== 'capacity-provider' || arn.path.length !== 1) return undefined;
    const provider = this.readModels.capacityProviders.get(Streams.capacityProvider(arn.scope, arn.path[0]));
    return provider?.status === 'ACTIVE' ? provider : undefined;
  }

  /** The fleets of the cluster of this ARN: the only ones a daemon of that cluster runs on. Call after a freshness wait. */
  fleetsOf(clusterArn: string): FleetState[] {
    const parsed = parseEcsArn(clusterArn);
    return parsed ? this.providersOf({ scope: parsed.scope, clusterName: parsed.path.join('/') }).map((p) => p.fleet) : [];
  }

  private activeProviders(scope: Scope): ActiveCapacityProvider[] {
    return [...this.readModels.capacityProviders.values()].filter(
      (p): p is ActiveCapacityProvider => p.status === 'ACTIVE' && inScope(p.capacityProviderArn, scope),
    );
  }
}
