import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { PathResourceNotFound } from '../http/ecs-errors.js';
import { NamePipe } from '../http/name.pipe.js';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { NextTokens, timeSortKey } from '../pagination/next-token.js';
import { presentContainerInstance } from '../presenters/container-instance.presenter.js';
import { FleetQueries } from '../read-models/fleet.queries.js';
import { InstanceQueries } from '../read-models/instance.queries.js';
import { existingCluster } from './path-resources.js';
import { ListContainerInstancesQuery } from './rest-queries.dto.js';

@ApiTags('container instances')
@Controller('v1/clusters/:cluster/container-instances')
export class ContainerInstancesController {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly fleet: FleetQueries,
    private readonly instances: InstanceQueries,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  @Get()
  @ApiOperation({ summary: 'ListContainerInstances: the instances of the cluster’s providers, oldest first (100 a page unless maxResults)' })
  async list(@Param('cluster', new NamePipe('cluster')) clusterName: string, @Query() query: ListContainerInstancesQuery, @HttpRequest() request: Request) {
    const cluster = await existingCluster(this.fleet, { scope: requestMeta(request, this.config).scope, clusterName });
    const matching = this.instances.instancesOf(cluster).filter(({ instance }) => query.status === undefined || instance.status === query.status);
    const { nextToken, maxResults, ...filters } = query;
    const page = this.nextTokens.page(`ListContainerInstances ${clusterName}`, filters, matching, ({ instance }) => timeSortKey(instance.startedAt, instance.containerInstanceArn), {
      maxResults: maxResults ?? 100,
      nextToken,
    });
    return { containerInstanceArns: page.items.map(({ instance }) => instance.containerInstanceArn), nextToken: page.nextToken };
  }

  @Get(':containerInstance')
  @ApiOperation({ summary: 'DescribeContainerInstances, for one instance: its id, its ARN (URL-encoded) or its EC2 instance id' })
  async describe(
    @Param('cluster', new NamePipe('cluster')) clusterName: string,
    @Param('containerInstance') reference: string,
    @HttpRequest() request: Request,
  ) {
    const cluster = await existingCluster(this.fleet, { scope: requestMeta(request, this.config).scope, clusterName });
    const found = this.instances.instance(cluster, reference);
    if (!found) throw new PathResourceNotFound('ClientException', `Container instance not found in cluster ${clusterName}: ${reference}`);
    return { containerInstance: presentContainerInstance(found) };
  }
}
