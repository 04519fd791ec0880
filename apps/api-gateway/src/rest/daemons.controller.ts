import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CreateDaemonDto, Streams, Subjects } from '@daemonfleet/contracts';
import { Arns, resolveCapacityProviderReference, resolveClusterReference } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { PathResourceNotFound } from '../http/ecs-errors.js';
import { NamePipe } from '../http/name.pipe.js';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { NextTokens, timeSortKey } from '../pagination/next-token.js';
import { presentDaemon, presentDaemonSummary } from '../presenters/daemon.presenter.js';
import { presentDeploymentSummary } from '../presenters/deployment.presenter.js';
import { epochSeconds } from '../presenters/epoch-seconds.js';
import { DaemonQueries } from '../read-models/daemon.queries.js';
import { FleetQueries } from '../read-models/fleet.queries.js';
import { GatewayCommands } from './gateway-commands.js';
import { ListDaemonDeploymentsQuery, ListDaemonsQuery } from './rest-queries.dto.js';

@ApiTags('daemons')
@Controller('v1/daemons')
export class DaemonsController {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly commands: GatewayCommands,
    private readonly daemons: DaemonQueries,
    private readonly fleet: FleetQueries,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'CreateDaemon: the daemon, its first revision and the deployment that rolls it out' })
  async create(@Body() dto: CreateDaemonDto, @HttpRequest() request: Request) {
    const { result } = await this.commands.send(Subjects.orchestrator.createDaemon, dto, requestMeta(request, this.config));
    return { daemonArn: result.daemonArn, status: result.status, createdAt: epochSeconds(result.createdAt), deploymentArn: result.deploymentArn };
  }

  @Get()
  @ApiOperation({ summary: 'ListDaemons: the daemons of a cluster (default "default"), oldest first' })
  async list(@Query() query: ListDaemonsQuery, @HttpRequest() request: Request) {
    const { scope } = requestMeta(request, this.config);
    const cluster = resolveClusterReference('clusterArn', query.clusterArn, scope);
    if (!(await this.fleet.cluster(Streams.cluster(cluster.scope, cluster.clusterName))))
      throw new PathResourceNotFound('ClusterNotFoundException', `Cluster not found: ${cluster.clusterName}`);
    const providerArns = (query.capacityProviderArns ?? []).map((reference) => {
      const provider = resolveCapacityProviderReference('capacityProviderArns', reference, cluster.scope);
      return Arns.capacityProvider(provider.scope, provider.name);
    });
    const daemons = await this.daemons.daemonsOf(Arns.cluster(cluster.scope, cluster.clusterName), providerArns);
    const { nextToken, maxResults, ...filters } = query;
    const page = this.nextTokens.page('ListDaemons', filters, daemons, (d) => timeSortKey(d.createdAt, d.daemonArn), { maxResults: maxResults ?? 100, nextToken });
    return { daemonSummariesList: page.items.map(presentDaemonSummary), nextToken: page.nextToken };
  }

  @Get(':cluster/:daemon')
  @ApiOperation({ summary: 'DescribeDaemon' })
  async describe(@Param('cluster', new NamePipe('cluster')) cluster: string, @Param('daemon', new NamePipe('daemon')) name: string, @HttpRequest() request: Request) {
    const daemon = await this.findDaemon(cluster, name, request);
    return { daemon: presentDaemon(daemon, this.daemons.latestDeploymentOf(daemon)) };
  }

  @Get(':cluster/:daemon/deployments')
  @ApiOperation({ summary: 'ListDaemonDeployments: newest first, filtered by status and creation time' })
  async deployments(
    @Param('cluster', new NamePipe('cluster')) cluster: string,
    @Param('daemon', new NamePipe('daemon')) name: string,
    @Query() query: ListDaemonDeploymentsQuery,
    @HttpRequest() request: Request,
  ) {
    const daemon = await this.findDaemon(cluster, name, request);
    const matching = this.daemons
      .deploymentsOf(daemon)
      .filter((d) => !query.status || query.status.includes(d.status))
      .filter((d) => query.createdAfter === undefined || epochSeconds(d.createdAt) > query.createdAfter)
      .filter((d) => query.createdBefore === undefined || epochSeconds(d.createdAt) < query.createdBefore);
    const { nextToken, maxResults, ...filters } = query;
    const page = this.nextTokens.page(`ListDaemonDeployments ${daemon.daemonArn}`, filters, matching, (d) => timeSortKey(d.createdAt, d.deploymentId, { descending: true }), {
      maxResults: maxResults ?? 20,
      nextToken,
    });
    return { daemonDeployments: page.items.map(presentDeploymentSummary), nextToken: page.nextToken };
  }

  private async findDaemon(clusterName: string, daemonName: string, request: Request) {
    const { scope } = requestMeta(request, this.config);
    const daemon = await this.daemons.daemon(Streams.daemon(scope, clusterName, daemonName));
    if (!daemon) throw new PathResourceNotFound('DaemonNotFoundException', `Daemon not found: ${Arns.daemon(scope, clusterName, daemonName)}`);
    return daemon;
  }
}
