import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DeleteClusterDto,
  MessageMeta,
  StreamCategory,
  Streams,
  Subjects,
  type CapacityProviderCreated,
  type CommandReply,
  type DeletedClusterRecord,
} from '@daemonfleet/contracts';
import { resolveClusterReference, type ClusterContents, type ClusterReference } from '@daemonfleet/domain';
import type { EventStore } from '@daemonfleet/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '@daemonfleet/service-runtime';
import { CapacityProviders } from '../capacity-providers/capacity-providers.js';
import { readCategory } from '../events/read-category.js';
import { CLUSTERS, type Clusters } from '../fleet.aggregates.js';
import { LiveServices } from '../services/live-services.js';

/**
 * DeleteCluster: the cluster goes INACTIVE once it holds no service and no capacity provider. A Managed Instances
 * provider stays bound to its cluster (the simulation cannot delete providers), so a cluster that ever had one is
 * kept. What the cluster holds is looked up here and decided on by the cluster; a provider or service created in the
 * moment between the two is not seen (the cluster's stream does not record what binds to it).
 */
@Controller()
export class DeleteClusterMessageController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CLUSTERS) private readonly clusters: Clusters,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly providers: CapacityProviders,
    private readonly services: LiveServices,
  ) {}

  @MessagePattern(Subjects.fleet.deleteCluster)
  async deleteCluster(@Payload('data') dto: DeleteClusterDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<DeletedClusterRecord>> {
    const cluster = resolveClusterReference('cluster', dto.cluster, meta.scope);
    const now = this.clock.now();
    const handled = await this.clusters.handle(
      Streams.cluster(cluster.scope, cluster.clusterName),
      { type: 'DeleteCluster', data: { clusterName: cluster.clusterName, contents: await this.contentsOf(cluster), now } },
      { correlationId: meta.correlationId, now },
    );
    const state = handled.state;
    if (state.status !== 'INACTIVE') throw new Error('DeleteCluster left the cluster active');
    const { clusterArn, clusterName, tags, createdAt } = state;
    return { result: { clusterArn, clusterName, status: 'INACTIVE', tags, createdAt }, position: handled.position };
  }

  private async contentsOf(cluster: ClusterReference): Promise<ClusterContents> {
    const servicePrefix = Streams.service(cluster.scope, cluster.clusterName, '');
    const services = this.services.streams().filter((streamId) => streamId.startsWith(servicePrefix)).length;
    // Providers are found by their first event: a rare operation may read the category rather than keep an index.
    const providerPrefix = Streams.capacityProvider(cluster.scope, '');
    const providerStreams: string[] = [];
    await readCategory(this.store, StreamCategory.capacityProvider, (event) => {
      const created = event.type === 'CapacityProviderCreated' ? (event.data as CapacityProviderCreated['data']) : undefined;
      if (created?.clusterName === cluster.clusterName && event.streamId.startsWith(providerPrefix)) providerStreams.push(event.streamId);
    });
    let containerInstances = 0;
    for (const streamId of providerStreams) {
      const { state } = await this.providers.load(streamId);
      if (state.status === 'ACTIVE') containerInstances += state.fleet.instances.size;
    }
    return { services, containerInstances, capacityProviders: providerStreams.length };
  }
}
