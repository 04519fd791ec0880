import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CreateDaemonDto, DaemonSettingsDto, ErrorCode, Subjects } from '@daemonfleet/contracts';
import { Arns, resolveCapacityProviderReference, resolveClusterReference } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { notFoundInPath } from '../http/ecs-errors.js';
import { NamePipe } from '../http/name.pipe.js';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { NextTokens, timeSortKey } from '../pagination/next-token.js';
import { presentDaemon, presentDaemonCommandResult, presentDaemonRevision, presentDaemonSummary } from '../presenters/daemon.presenter.js';
import { presentDeploymentSummary } from '../presenters/deployment.presenter.js';
import { epochSeconds } from '../presenters/epoch-seconds.js';
import { DaemonQueries } from '../read-models/daemon.queries.js';
import { FleetQueries } from '../read-models/fleet.queries.js';
import { GatewayCommands } from './gateway-commands.js';
import { daemonHistory, existingCluster, existingDaemon } from './path-resources.js';
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
  @ApiOperation({ summary: 'ListDaemons: the daemons of a cluster (default "default"), oldest first; a removed daemon is not listed' })
  async list(@Query() query: ListDaemonsQuery, @HttpRequest() request: Request) {
    const { scope } = requestMeta(request, this.config);
    const cluster = await existingCluster(this.fleet, resolveClusterReference('clusterArn', query.clusterArn, scope));
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
  @ApiOperation({ summary: 'DescribeDaemon: currentRevisions count the fleet now' })
  async describe(@Param('cluster', new NamePipe('cluster')) cluster: string, @Param('daemon', new NamePipe('daemon')) name: string, @HttpRequest() request: Request) {
    const daemon = await this.findDaemon(cluster, name, request);
    return { daemon: presentDaemon(daemon, this.daemons.currentCounts(daemon)) };
  }

  @Put(':cluster/:daemon')
  @ApiOperation({ summary: 'UpdateDaemon: every setting is replaced (omitted ones return to their defaults); a new revision and deployment' })
  async update(
    @Param('cluster', new NamePipe('cluster')) cluster: string,
    @Param('daemon', new NamePipe('daemon')) name: string,
    @Body() dto: DaemonSettingsDto,
    @HttpRequest() request: Request,
  ) {
    const meta = requestMeta(request, this.config);
    const { result } = await this.commands
      .send(Subjects.orchestrator.updateDaemon, { ...dto, daemonArn: Arns.daemon(meta.scope, cluster, name) }, meta)
      .catch(notFoundInPath(ErrorCode.ClusterNotFound, ErrorCode.DaemonNotFound));
    return presentDaemonCommandResult(result);
  }

  @Delete(':cluster/:daemon')
  @ApiOperation({ summary: 'DeleteDaemon: DELETE_IN_PROGRESS while a deployment drains it off every instance, then gone' })
  async delete(@Param('cluster', new NamePipe('cluster')) cluster: string, @Param('daemon', new NamePipe('daemon')) name: string, @HttpRequest() request: Request) {
    const meta = requestMeta(request, this.config);
    const { result } = await this.commands
      .send(Subjects.orchestrator.deleteDaemon, { daemonArn: Arns.daemon(meta.scope, cluster, name) }, meta)
      .catch(notFoundInPath(ErrorCode.ClusterNotFound, ErrorCode.DaemonNotFound));
    return presentDaemonCommandResult(result);
  }

  @Get(':cluster/:daemon/revisions')
  @ApiOperation({ summary: 'The daemon’s revisions, newest first (DescribeDaemonRevisions of each); a removed daemon’s too (decision 7)' })
  async revisions(@Param('cluster', new NamePipe('cluster')) clusterName: string, @Param('daemon', new NamePipe('daemon')) daemonName: string, @HttpRequest() request: Request) {
    const daemon = await daemonHistory(this.daemons, { scope: requestMeta(request, this.config).scope, clusterName, daemonName });
    return { daemonRevisions: [...daemon.revisions].reverse().map((revision) => presentDaemonRevision(daemon, revision)) };
  }

  @Get(':cluster/:daemon/deployments')
  @ApiOperation({ summary: 'ListDaemonDeployments: newest first, filtered by status and creation time; a removed daemon’s too (decision 7)' })
  async deployments(
    @Param('cluster', new NamePipe('cluster')) clusterName: string,
    @Param('daemon', new NamePipe('daemon')) daemonName: string,
    @Query() query: ListDaemonDeploymentsQuery,
    @HttpRequest() request: Request,
  ) {
    const daemon = await daemonHistory(this.daemons, { scope: requestMeta(request, this.config).scope, clusterName, daemonName });
    const matching = this.daemons
      .deploymentsOf(daemon)
      .map((deployment) => ({ deployment, summary: presentDeploymentSummary(deployment) }))
      .filter(({ summary }) => !query.status || query.status.includes(summary.status))
      .filter(({ summary }) => query.createdAfter === undefined || summary.createdAt > query.createdAfter)
      .filter(({ summary }) => query.createdBefore === undefined || summary.createdAt < query.createdBefore);
    const { nextToken, maxResults, ...filters } = query;
    const page = this.nextTokens.page(
      `ListDaemonDeployments ${daemon.daemonArn}`,
      filters,
      matching,
      ({ deployment }) => timeSortKey(deployment.createdAt, deployment.deploymentId, { descending: true }),
      { maxResults: maxResults ?? 20, nextToken },
    );
    return { daemonDeployments: page.items.map(({ summary }) => summary), nextToken: page.nextToken };
  }

  private findDaemon(clusterName: string, daemonName: string, request: Request) {
    return existingDaemon(this.daemons, { scope: requestMeta(request, this.config).scope, clusterName, daemonName });
  }
}
