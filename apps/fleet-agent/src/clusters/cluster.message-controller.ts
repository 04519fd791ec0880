import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateClusterDto, GetClustersQuery, MessageMeta, Streams, Subjects, type ClusterRecord, type CommandReply } from '@daemonfleet/contracts';
import { parseEcsArn, type ClusterState } from '@daemonfleet/domain';
import { CLOCK, type Clock } from '@daemonfleet/service-runtime';
import { CLUSTERS, type Clusters } from '../fleet.aggregates.js';

@Controller()
export class ClusterMessageController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CLUSTERS) private readonly clusters: Clusters,
  ) {}

  @MessagePattern(Subjects.fleet.createCluster)
  async createCluster(@Payload('data') dto: CreateClusterDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<ClusterRecord>> {
    const clusterName = dto.clusterName ?? 'default';
    const now = this.clock.now();
    const handled = await this.clusters.handle(
      Streams.cluster(meta.scope, clusterName),
      { type: 'CreateCluster', data: { scope: meta.scope, clusterName, tags: dto.tags ?? [], now } },
      { correlationId: meta.correlationId, now },
    );
    return { result: toRecord(handled.state)!, position: handled.position };
  }

  /** The clusters that exist among those asked for, by ARN; the others are left out. */
  @MessagePattern(Subjects.fleet.getClusters)
  async getClusters(@Payload('data') query: GetClustersQuery): Promise<{ clusters: ClusterRecord[] }> {
    const loaded = await Promise.all(
      query.clusterArns.map(async (arn) => {
        const parsed = parseEcsArn(arn);
        if (parsed?.resourceType !== 'cluster' || parsed.path.length !== 1) return undefined;
        return toRecord((await this.clusters.load(Streams.cluster(parsed.scope, parsed.path[0]))).state);
      }),
    );
    return { clusters: loaded.filter((cluster): cluster is ClusterRecord => cluster !== undefined) };
  }
}

/** An existing cluster; a deleted (INACTIVE) one exists no more for the services that look it up. */
function toRecord(state: ClusterState): ClusterRecord | undefined {
  if (state.status !== 'ACTIVE') return undefined;
  const { clusterArn, clusterName, tags, createdAt } = state;
  return { clusterArn, clusterName, status: 'ACTIVE', tags, createdAt };
}
