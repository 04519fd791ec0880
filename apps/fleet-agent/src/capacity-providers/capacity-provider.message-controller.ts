import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateCapacityProviderDto,
  GetCapacityProvidersQuery,
  MessageMeta,
  Streams,
  Subjects,
  type CapacityProviderRecord,
  type CommandReply,
} from '@daemonfleet/contracts';
import { parseEcsArn, resolveClusterReference, type CreateCapacityProvider } from '@daemonfleet/domain';
import { CLOCK, type Clock } from '@daemonfleet/service-runtime';
import { CLUSTERS, type Clusters } from '../fleet.aggregates.js';
import { FleetTicker } from '../simulation/fleet-ticker.js';
import { capacityProviderRecord } from './capacity-provider-record.js';
import { CapacityProviders } from './capacity-providers.js';

@Controller()
export class CapacityProviderMessageController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CLUSTERS) private readonly clusters: Clusters,
    private readonly providers: CapacityProviders,
    private readonly ticker: FleetTicker,
  ) {}

  @MessagePattern(Subjects.fleet.createCapacityProvider)
  async createCapacityProvider(
    @Payload('data') dto: CreateCapacityProviderDto,
    @Payload('meta') meta: MessageMeta,
  ): Promise<CommandReply<CapacityProviderRecord>> {
    const now = this.clock.now();
    const { provider, clusterExists } = await this.describeProvider(dto, meta);
    const streamId = Streams.capacityProvider(meta.scope, dto.name);
    const handled = await this.providers.handle(
      streamId,
      { type: 'CreateCapacityProvider', data: { scope: meta.scope, name: dto.name, provider, clusterExists, tags: dto.tags ?? [], now } },
      { correlationId: meta.correlationId, now },
    );
    this.ticker.know(streamId);
    return { result: capacityProviderRecord(handled.state)!, position: handled.position };
  }

  /** The providers that exist among those asked for, by ARN; the others are left out. */
  @MessagePattern(Subjects.fleet.getCapacityProviders)
  async getCapacityProviders(@Payload('data') query: GetCapacityProvidersQuery): Promise<{ capacityProviders: CapacityProviderRecord[] }> {
    const loaded = await Promise.all(
      query.capacityProviderArns.map(async (arn) => {
        const parsed = parseEcsArn(arn);
        if (parsed?.resourceType !== 'capacity-provider' || parsed.path.length !== 1) return undefined;
        return capacityProviderRecord((await this.providers.load(Streams.capacityProvider(parsed.scope, parsed.path[0]))).state);
      }),
    );
    return { capacityProviders: loaded.filter((provider): provider is CapacityProviderRecord => provider !== undefined) };
  }

  /** A Managed Instances provider belongs to a cluster, which must exist in the request's scope. */
  private async describeProvider(dto: CreateCapacityProviderDto, meta: MessageMeta) {
    if (!dto.managedInstancesProvider) {
      const provider: CreateCapacityProvider['data']['provider'] = {
        type: 'EC2_AUTOSCALING',
        settings: { ...dto.autoScalingGroupProvider },
      };
      return { provider, clusterExists: false };
    }
    const cluster = resolveClusterReference('cluster', dto.cluster, meta.scope);
    const clusterState = (await this.clusters.load(Streams.cluster(meta.scope, cluster.clusterName))).state;
    const sameScope = cluster.scope.accountId === meta.scope.accountId && cluster.scope.region === meta.scope.region;
    const provider: CreateCapacityProvider['data']['provider'] = {
      type: 'MANAGED_INSTANCES',
      settings: JSON.parse(JSON.stringify(dto.managedInstancesProvider)) as Record<string, unknown>,
      clusterName: cluster.clusterName,
    };
    return { provider, clusterExists: sameScope && clusterState.status === 'ACTIVE' };
  }
}
