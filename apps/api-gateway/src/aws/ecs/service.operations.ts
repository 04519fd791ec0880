import { Inject, Injectable } from '@nestjs/common';
import { CreateServiceDto, Streams, Subjects, UpdateServiceCommandDto } from '@daemonfleet/contracts';
import { Arns, resolveClusterReference, resolveServiceReference } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { NextTokens, timeSortKey } from '../../pagination/next-token.js';
import { presentService } from '../../presenters/service.presenter.js';
import { FleetQueries } from '../../read-models/fleet.queries.js';
import { InstanceQueries } from '../../read-models/instance.queries.js';
import { ServiceQueries, type KnownService } from '../../read-models/service.queries.js';
import { GatewayCommands } from '../../rest/gateway-commands.js';
import { existingCluster } from '../../rest/path-resources.js';
import { AwsException } from '../aws-errors.js';
import { missing, operation, pagedOperation, referenceOrNothing, type EcsOperationGroup } from './ecs-operation.js';
import { DeleteServiceRequest, DescribeServicesRequest, ListServicesRequest } from './ecs-requests.dto.js';

/** Services of the simulated fleet: application tasks on Managed Instances providers, which bring the instances. */
@Injectable()
export class ServiceOperations implements EcsOperationGroup {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly commands: GatewayCommands,
    private readonly services: ServiceQueries,
    private readonly instances: InstanceQueries,
    private readonly fleet: FleetQueries,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  readonly operations = {
    CreateService: operation('CreateService', CreateServiceDto, async (input, { meta }) => {
      const { result } = await this.commands.send(Subjects.fleet.createService, input, meta);
      return { service: await this.present(result.serviceArn) };
    }),

    /** The one setting the simulation changes: the desired count. */
    UpdateService: operation('UpdateService', UpdateServiceCommandDto, async (input, { meta }) => {
      const { result } = await this.commands.send(Subjects.fleet.updateService, input, meta);
      return { service: await this.present(result.serviceArn) };
    }),

    /** Names or ARNs in `cluster` (default "default"); an INACTIVE service is still described, an unknown one MISSING. */
    DescribeServices: operation('DescribeServices', DescribeServicesRequest, async (input, { scope }) => {
      await existingCluster(this.fleet, resolveClusterReference('cluster', input.cluster, scope));
      const services = [];
      const failures = [];
      for (const reference of input.services) {
        const named = referenceOrNothing(() => resolveServiceReference({ cluster: input.cluster, service: reference }, scope));
        const service = named && (await this.services.service(Arns.service(named.scope, named.clusterName, named.serviceName)));
        if (service) services.push(this.withTasks(service));
        else failures.push(missing(named ? Arns.service(named.scope, named.clusterName, named.serviceName) : reference));
      }
      return { services, failures };
    }),

    /** The cluster's ACTIVE and DRAINING services, oldest first, 10 a page unless maxResults, as ECS. */
    ListServices: operation('ListServices', ListServicesRequest, async (input, context) => {
      const cluster = await existingCluster(this.fleet, resolveClusterReference('cluster', input.cluster, context.scope));
      const services = this.services.servicesOf(Arns.cluster(cluster.scope, cluster.clusterName));
      const page = this.nextTokens.page(pagedOperation('ListServices', context, Streams.cluster(cluster.scope, cluster.clusterName)), {}, services, (s) => timeSortKey(s.createdAt, s.serviceArn), {
        maxResults: input.maxResults ?? 10,
        nextToken: input.nextToken,
      });
      return { serviceArns: page.items.map((s) => s.serviceArn), nextToken: page.nextToken };
    }),

    /**
     * The service goes DRAINING while its tasks stop, then INACTIVE. As ECS, a service that still wants tasks is
     * refused unless `force` is set (scale it to 0 first).
     */
    DeleteService: operation('DeleteService', DeleteServiceRequest, async ({ force, ...reference }, { meta }) => {
      if (!force) {
        const named = resolveServiceReference(reference, meta.scope);
        const service = await this.services.service(Arns.service(named.scope, named.clusterName, named.serviceName));
        if (service?.status === 'ACTIVE' && service.desiredCount > 0)
          throw new AwsException('InvalidParameterException', 'The service cannot be stopped while it is scaled above 0; set its desiredCount to 0 first, or delete it with force');
      }
      const { result } = await this.commands.send(Subjects.fleet.deleteService, reference, meta);
      return { service: await this.present(result.serviceArn) };
    }),
  };

  /** A service the fleet agent just answered for: the read models have caught up with its write. */
  private async present(serviceArn: string) {
    const service = await this.services.service(serviceArn);
    return service && this.withTasks(service);
  }

  private withTasks(service: KnownService) {
    const providers = service.capacityProviderStrategy.map((item) => item.capacityProviderArn);
    return presentService(service, this.instances.serviceTaskCount(service.serviceArn, providers));
  }
}
