import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CreateServiceDto, ErrorCode, Subjects, UpdateServiceDto } from '@daemonfleet/contracts';
import { Arns } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { notFoundInPath, PathResourceNotFound } from '../http/ecs-errors.js';
import { NamePipe } from '../http/name.pipe.js';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { NextTokens, timeSortKey } from '../pagination/next-token.js';
import { presentService } from '../presenters/service.presenter.js';
import { FleetQueries } from '../read-models/fleet.queries.js';
import { InstanceQueries } from '../read-models/instance.queries.js';
import { ServiceQueries, type KnownService } from '../read-models/service.queries.js';
import { GatewayCommands } from './gateway-commands.js';
import { existingCluster } from './path-resources.js';
import { ListServicesQuery } from './rest-queries.dto.js';

/** Services of the simulated fleet: application tasks that need instances, on Managed Instances providers. */
@ApiTags('services')
@Controller('v1')
export class ServicesController {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly commands: GatewayCommands,
    private readonly services: ServiceQueries,
    private readonly instances: InstanceQueries,
    private readonly fleet: FleetQueries,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  @Post('services')
  @HttpCode(201)
  @ApiOperation({ summary: 'CreateService: desiredCount tasks of a task definition, placed by the capacity provider strategy' })
  async create(@Body() dto: CreateServiceDto, @HttpRequest() request: Request) {
    const { result } = await this.commands.send(Subjects.fleet.createService, dto, requestMeta(request, this.config));
    return { service: await this.present(result.serviceArn) };
  }

  @Get('clusters/:cluster/services')
  @ApiOperation({ summary: 'ListServices: the cluster’s ACTIVE and DRAINING services, oldest first (10 a page unless maxResults, as ECS)' })
  async list(@Param('cluster', new NamePipe('cluster')) clusterName: string, @Query() query: ListServicesQuery, @HttpRequest() request: Request) {
    const cluster = await existingCluster(this.fleet, { scope: requestMeta(request, this.config).scope, clusterName });
    const services = this.services.servicesOf(Arns.cluster(cluster.scope, clusterName));
    const { nextToken, maxResults } = query;
    const page = this.nextTokens.page(`ListServices ${clusterName}`, {}, services, (s) => timeSortKey(s.createdAt, s.serviceArn), { maxResults: maxResults ?? 10, nextToken });
    return { serviceArns: page.items.map((s) => s.serviceArn), nextToken: page.nextToken };
  }

  @Get('services/:cluster/:service')
  @ApiOperation({ summary: 'DescribeServices, for one service (an INACTIVE one too)' })
  async describe(@Param('cluster', new NamePipe('cluster')) clusterName: string, @Param('service', new NamePipe('service')) name: string, @HttpRequest() request: Request) {
    const cluster = await existingCluster(this.fleet, { scope: requestMeta(request, this.config).scope, clusterName });
    const serviceArn = Arns.service(cluster.scope, clusterName, name);
    const service = await this.services.service(serviceArn);
    if (!service) throw new PathResourceNotFound('ServiceNotFoundException', `Service not found: ${serviceArn}`);
    return { service: this.withTasks(service) };
  }

  @Patch('services/:cluster/:service')
  @ApiOperation({ summary: 'UpdateService: a new desired count' })
  async update(
    @Param('cluster', new NamePipe('cluster')) cluster: string,
    @Param('service', new NamePipe('service')) service: string,
    @Body() dto: UpdateServiceDto,
    @HttpRequest() request: Request,
  ) {
    const command = { cluster, service, desiredCount: dto.desiredCount };
    const { result } = await this.commands
      .send(Subjects.fleet.updateService, command, requestMeta(request, this.config))
      .catch(notFoundInPath(ErrorCode.ClusterNotFound, ErrorCode.ServiceNotFound));
    return { service: await this.present(result.serviceArn) };
  }

  @Delete('services/:cluster/:service')
  @ApiOperation({ summary: 'DeleteService: the service goes DRAINING while its tasks stop, then INACTIVE' })
  async delete(@Param('cluster', new NamePipe('cluster')) cluster: string, @Param('service', new NamePipe('service')) service: string, @HttpRequest() request: Request) {
    const { result } = await this.commands
      .send(Subjects.fleet.deleteService, { cluster, service }, requestMeta(request, this.config))
      .catch(notFoundInPath(ErrorCode.ClusterNotFound, ErrorCode.ServiceNotFound));
    return { service: await this.present(result.serviceArn) };
  }

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
