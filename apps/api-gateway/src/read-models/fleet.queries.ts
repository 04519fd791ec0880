import { Injectable } from '@nestjs/common';
import type { Scope } from '@daemonfleet/contracts';
import { parseEcsArn, type CapacityProviderState, type ClusterState } from '@daemonfleet/domain';
import { ReadModelFeed } from './read-model-feed.js';
import { ReadModels } from './read-models.js';

type ActiveCluster = Extract<ClusterState, { status: 'ACTIVE' }>;
type ActiveProvider = Extract<CapacityProviderState, { status: 'ACTIVE' }>;

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

  async capacityProvider(streamId: string): Promise<ActiveProvider | undefined> {
    await this.feed.fresh();
    const provider = this.readModels.capacityProviders.get(streamId);
    return provider?.status === 'ACTIVE' ? provider : undefined;
  }

  async capacityProviders(scope: Scope): Promise<ActiveProvider[]> {
    await this.feed.fresh();
    return this.activeProviders(scope).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The Managed Instances providers bound to a cluster. Call after a freshness wait. */
  capacityProviderNamesOf(scope: Scope, clusterName: string): string[] {
    return this.activeProviders(scope)
      .filter((p) => p.clusterName === clusterName)
      .map((p) => p.name)
      .sort();
  }

  private activeProviders(scope: Scope): ActiveProvider[] {
    return [...this.readModels.capacityProviders.values()].filter(
      (p): p is ActiveProvider => p.status === 'ACTIVE' && inScope(p.capacityProviderArn, scope),
    );
  }
}
