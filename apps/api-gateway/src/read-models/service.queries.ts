import { Injectable } from '@nestjs/common';
import { Streams } from '@daemonfleet/contracts';
import { parseEcsArn, type ServiceState } from '@daemonfleet/domain';
import { ReadModelFeed } from './read-model-feed.js';
import { ReadModels } from './read-models.js';

export type KnownService = Exclude<ServiceState, { status: 'NONE' }>;

/** Services of the simulated fleet as the gateway's read models hold them; every answer reads its writes. */
@Injectable()
export class ServiceQueries {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: ReadModelFeed,
  ) {}

  /** The service of that stream in any status: an INACTIVE service is still described, as ECS does for a while. */
  async service(serviceArn: string): Promise<KnownService | undefined> {
    await this.feed.fresh();
    const arn = parseEcsArn(serviceArn);
    if (arn?.resourceType !== 'service' || arn.path.length !== 2) return undefined;
    const service = this.readModels.services.get(Streams.service(arn.scope, arn.path[0], arn.path[1]));
    return service?.status === 'NONE' ? undefined : service;
  }

  /** ListServices: the cluster's ACTIVE and DRAINING services; INACTIVE ones are no longer listed. Call after a freshness wait. */
  servicesOf(clusterArn: string): KnownService[] {
    return [...this.readModels.services.values()].filter(
      (service): service is KnownService => (service.status === 'ACTIVE' || service.status === 'DRAINING') && service.clusterArn === clusterArn,
    );
  }
}
