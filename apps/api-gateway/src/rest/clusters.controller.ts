import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CreateClusterDto, Streams, Subjects } from '@daemonfleet/contracts';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { PathResourceNotFound } from '../http/ecs-errors.js';
import { NamePipe } from '../http/name.pipe.js';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { presentCluster } from '../presenters/fleet.presenter.js';
import { FleetQueries } from '../read-models/fleet.queries.js';
import { GatewayCommands } from './gateway-commands.js';

@ApiTags('clusters')
@Controller('v1/clusters')
export class ClustersController {
  constructor(
    private readonly commands: GatewayCommands,
    private readonly fleet: FleetQueries,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'CreateCluster: creates a cluster, or answers with the one of that name' })
  async create(@Body() dto: CreateClusterDto, @HttpRequest() request: Request) {
    const meta = requestMeta(request, this.config);
    const { result } = await this.commands.send(Subjects.fleet.createCluster, dto, meta);
    return { cluster: presentCluster(result, this.fleet.capacityProviderNamesOf(meta.scope, result.clusterName)) };
  }

  @Get()
  @ApiOperation({ summary: 'Every cluster, with its capacity providers' })
  async list(@HttpRequest() request: Request) {
    const { scope } = requestMeta(request, this.config);
    return { clusters: (await this.fleet.clusters(scope)).map((c) => presentCluster(c, this.fleet.capacityProviderNamesOf(scope, c.clusterName))) };
  }

  @Get(':cluster')
  @ApiOperation({ summary: 'DescribeClusters, for one cluster' })
  async describe(@Param('cluster', new NamePipe('cluster')) clusterName: string, @HttpRequest() request: Request) {
    const { scope } = requestMeta(request, this.config);
    const cluster = await this.fleet.cluster(Streams.cluster(scope, clusterName));
    if (!cluster) throw new PathResourceNotFound('ClusterNotFoundException', `Cluster not found: ${clusterName}`);
    return { cluster: presentCluster(cluster, this.fleet.capacityProviderNamesOf(scope, clusterName)) };
  }
}
