import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateCapacityProviderDto,
  GetCapacityProvidersQuery,
  MessageMeta,
  Streams,
  Subjects,
  type CapacityProviderEvent,
  type CapacityProviderRecord,
  type ClusterEvent,
  type CommandReply,
} from '@daemonfleet/contracts';
import {
  capacityProviderDecider,
  clusterDecider,
  parseEcsArn,
  resolveClusterReference,
  type CapacityProviderCommand,
  type CapacityProviderState,
  type ClusterCommand,
  type ClusterState,
  type CreateCapacityProvider,
} from '@daemonfleet/domain';
import type { EventStore } from '@daemonfleet/event-store';
import { CLOCK, EVENT_STORE, EventSourcedAggregates, IDS, type Clock, type IdGenerator } from '@daemonfleet/service-runtime';

@Controller()
export class CapacityProviderMessageController {
  private readonly providers: EventSourcedAggregates<CapacityProviderState, CapacityProviderCommand, CapacityProviderEvent>;
  private readonly clusters: EventSourcedAggregates<ClusterState, ClusterCommand, ClusterEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) ids: IdGenerator,
  ) {
    this.providers = new EventSourcedAggregates(store, capacityProviderDecider, ids.uuid);
    this.clusters = new EventSourcedAggregates(store, clusterDecider, ids.uuid);
  }

  @MessagePattern(Subjects.fleet.createCapacityProvider)
  async createCapacityProvider(
    @Payload('data') dto: CreateCapacityProviderDto,
    @Payload('meta') meta: MessageMeta,
  ): Promise<CommandReply<CapacityProviderRecord>> {
    const now = this.clock.now();
    const { provider, clusterExists } = await this.describeProvider(dto, meta);
    const handled = await this.providers.handle(
      Streams.capacityProvider(meta.scope, dto.name),
      { type: 'CreateCapacityProvider', data: { scope: meta.scope, name: dto.name, provider, clusterExists, tags: dto.tags ?? [], now } },
      { correlationId: meta.correlationId, now },
    );
    return { result: toRecord(handled.state)!, position: handled.position };
  }

  /** The providers that exist among those asked for, by ARN; the others are left out. */
  @MessagePattern(Subjects.fleet.getCapacityProviders)
  async getCapacityProviders(@Payload('data') query: GetCapacityProvidersQuery): Promise<{ capacityProviders: CapacityProviderRecord[] }> {
    const loaded = await Promise.all(
      query.capacityProviderArns.map(async (arn) => {
        const parsed = parseEcsArn(arn);
        if (parsed?.resourceType !== 'capacity-provider' || parsed.path.length !== 1) return undefined;
        return toRecord((await this.providers.load(Streams.capacityProvider(parsed.scope, parsed.path[0]))).state);
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

function toRecord(state: CapacityProviderState): CapacityProviderRecord | undefined {
  if (state.status === 'NONE') return undefined;
  const { capacityProviderArn, name, type, clusterName } = state;
  return { capacityProviderArn, name, type, clusterName, status: 'ACTIVE' };
}
