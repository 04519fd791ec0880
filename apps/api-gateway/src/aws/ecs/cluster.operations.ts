import { Inject, Injectable } from '@nestjs/common';
import { CreateClusterDto, DeleteClusterDto, Streams, Subjects } from '@daemonfleet/contracts';
import { Arns, parseEcsArn, resolveCapacityProviderReference, resolveClusterReference, type ClusterState } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { NextTokens } from '../../pagination/next-token.js';
import { FleetQueries } from '../../read-models/fleet.queries.js';
import { InstanceQueries } from '../../read-models/instance.queries.js';
import { ReadModelFeed } from '../../read-models/read-model-feed.js';
import { ReadModels } from '../../read-models/read-models.js';
import { ServiceQueries } from '../../read-models/service.queries.js';
import { GatewayCommands } from '../../rest/gateway-commands.js';
import { existingCluster } from '../../rest/path-resources.js';
import { AwsException } from '../aws-errors.js';
import { clusterCounts, NO_CLUSTER_COUNTS, presentEcsCluster } from './ecs-cluster.presenter.js';
import { missing, operation, pagedOperation, referenceOrNothing, type EcsOperationGroup, type EcsRequestContext } from './ecs-operation.js';
import { DescribeClustersRequest, ListClustersRequest, PutClusterCapacityProvidersRequest } from './ecs-requests.dto.js';

type KnownCluster = Exclude<ClusterState, { status: 'NONE' }>;

/** Clusters. A Managed Instances capacity provider is bound to its cluster when it is created (spec 1.3). */
@Injectable()
export class ClusterOperations implements EcsOperationGroup {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly commands: GatewayCommands,
    private readonly fleet: FleetQueries,
    private readonly instances: InstanceQueries,
    private readonly services: ServiceQueries,
    private readonly readModels: ReadModels,
    private readonly feed: ReadModelFeed,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  readonly operations = {
    /** Idempotent, as ECS's: a cluster of that name that exists is answered as it is. */
    CreateCluster: operation('CreateCluster', CreateClusterDto, async (input, { meta }) => {
      const { result } = await this.commands.send(Subjects.fleet.createCluster, input, meta);
      return { cluster: this.present(result) };
    }),

    /** Names or ARNs, `default` when none; a deleted cluster is INACTIVE, an unknown one a MISSING failure. */
    DescribeClusters: operation('DescribeClusters', DescribeClustersRequest, async ({ clusters }, { scope }) => {
      await this.feed.fresh();
      const found = [];
      const failures = [];
      for (const reference of clusters?.length ? clusters : ['default']) {
        const cluster = this.known(reference, scope);
        if (cluster) found.push(this.present(cluster));
        else failures.push(missing(reference.startsWith('arn:') ? reference : Arns.cluster(scope, reference)));
      }
      return { clusters: found, failures };
    }),

    /** The ACTIVE clusters of the account and region, by ARN; 100 a page unless maxResults. */
    ListClusters: operation('ListClusters', ListClustersRequest, async (input, context) => {
      const clusters = await this.fleet.clusters(context.scope);
      const page = this.nextTokens.page(pagedOperation('ListClusters', context), {}, clusters, (c) => c.clusterArn, {
        maxResults: input.maxResults ?? 100,
        nextToken: input.nextToken,
      });
      return { clusterArns: page.items.map((c) => c.clusterArn), nextToken: page.nextToken };
    }),

    /** Refused while the cluster holds services, container instances or capacity providers (the fleet agent decides). */
    DeleteCluster: operation('DeleteCluster', DeleteClusterDto, async (input, { meta }) => {
      const { result } = await this.commands.send(Subjects.fleet.deleteCluster, input, meta);
      return { cluster: presentEcsCluster(result, [], NO_CLUSTER_COUNTS) };
    }),

    PutClusterCapacityProviders: operation('PutClusterCapacityProviders', PutClusterCapacityProvidersRequest, (input, context) => this.putCapacityProviders(input, context)),
  };

  /**
   * A Managed Instances provider belongs to the cluster it was created in and cannot be moved, added elsewhere or
   * removed (ECS documents that PutClusterCapacityProviders does not apply to them). So the call accepts exactly the
   * cluster's own providers, changes nothing, and answers the cluster. daemonfleet keeps no default strategy:
   * services name theirs, so only an empty one is accepted.
   */
  private async putCapacityProviders(input: PutClusterCapacityProvidersRequest, { scope }: EcsRequestContext) {
    const cluster = await existingCluster(this.fleet, resolveClusterReference('cluster', input.cluster, scope));
    const bound = this.fleet.capacityProviderNamesOf(cluster.scope, cluster.clusterName);
    const requested = input.capacityProviders.map((reference) => resolveCapacityProviderReference('capacityProviders', reference, cluster.scope));
    const foreign = requested.find((provider) => !bound.includes(provider.name) || provider.scope.accountId !== cluster.scope.accountId || provider.scope.region !== cluster.scope.region);
    if (foreign)
      throw new AwsException('InvalidParameterException', `capacityProviders: ${foreign.name} is not a Managed Instances capacity provider of cluster ${cluster.clusterName}; such providers are bound to their cluster when created`);
    const left = bound.find((name) => !requested.some((provider) => provider.name === name));
    if (left) throw new AwsException('InvalidParameterException', `capacityProviders: ${left} is a Managed Instances capacity provider of cluster ${cluster.clusterName} and cannot be removed from it`);
    if (input.defaultCapacityProviderStrategy.length > 0)
      throw new AwsException('InvalidParameterException', 'defaultCapacityProviderStrategy: daemonfleet keeps no default strategy (services name theirs); give []');
    return { cluster: this.present(this.readModels.clusters.get(Streams.cluster(cluster.scope, cluster.clusterName)) as KnownCluster) };
  }

  /** The cluster a name or ARN names, ACTIVE or INACTIVE. Call after a freshness wait. */
  private known(reference: string, scope: EcsRequestContext['scope']): KnownCluster | undefined {
    const cluster = referenceOrNothing(() => resolveClusterReference('clusters', reference, scope));
    const state = cluster && this.readModels.clusters.get(Streams.cluster(cluster.scope, cluster.clusterName));
    return state?.status === 'NONE' ? undefined : state;
  }

  /** A cluster with what it holds now. Call after a freshness wait. */
  private present(cluster: Parameters<typeof presentEcsCluster>[0]) {
    const scope = parseEcsArn(cluster.clusterArn)?.scope;
    if (cluster.status === 'INACTIVE' || !scope) return presentEcsCluster(cluster, [], NO_CLUSTER_COUNTS);
    const reference = { scope, clusterName: cluster.clusterName };
    const activeServices = this.services.servicesOf(cluster.clusterArn).filter((service) => service.status === 'ACTIVE').length;
    return presentEcsCluster(cluster, this.fleet.capacityProviderNamesOf(reference.scope, reference.clusterName), clusterCounts(this.instances.instancesOf(reference), activeServices));
  }
}
