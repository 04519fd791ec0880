import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Arns } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { PathResourceNotFound } from '../http/ecs-errors.js';
import { NamePipe } from '../http/name.pipe.js';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { NextTokens, timeSortKey } from '../pagination/next-token.js';
import { presentTask } from '../presenters/task.presenter.js';
import { FleetQueries } from '../read-models/fleet.queries.js';
import { InstanceQueries, type TaskView } from '../read-models/instance.queries.js';
import { existingCluster } from './path-resources.js';
import { ListTasksQuery } from './rest-queries.dto.js';

@ApiTags('tasks')
@Controller('v1/clusters/:cluster/tasks')
export class TasksController {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly fleet: FleetQueries,
    private readonly instances: InstanceQueries,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  @Get()
  @ApiOperation({
    summary:
      'ListTasks: the cluster’s tasks, daemon tasks included, oldest first (100 a page unless maxResults). Stopped tasks are not kept: desiredStatus STOPPED or PENDING lists none',
  })
  async list(@Param('cluster', new NamePipe('cluster')) clusterName: string, @Query() query: ListTasksQuery, @HttpRequest() request: Request) {
    const cluster = await existingCluster(this.fleet, { scope: requestMeta(request, this.config).scope, clusterName });
    const instance = query.containerInstance === undefined ? undefined : this.instances.instance(cluster, query.containerInstance);
    const unmatchable = (query.containerInstance !== undefined && !instance) || (query.desiredStatus ?? 'RUNNING') !== 'RUNNING';
    const tasks = unmatchable
      ? []
      : this.instances.tasks(cluster, {
          daemonArn: query.daemonName && Arns.daemon(cluster.scope, clusterName, query.daemonName),
          serviceArn: query.serviceName && Arns.service(cluster.scope, clusterName, query.serviceName),
          instance,
        });
    const { nextToken, maxResults, ...filters } = query;
    const page = this.nextTokens.page(`ListTasks ${clusterName}`, filters, tasks, sortKey, { maxResults: maxResults ?? 100, nextToken });
    return { taskArns: page.items.map((view) => view.task.taskArn), nextToken: page.nextToken };
  }

  @Get(':task')
  @ApiOperation({ summary: 'DescribeTasks, for one task: its id or its ARN (URL-encoded)' })
  async describe(@Param('cluster', new NamePipe('cluster')) clusterName: string, @Param('task') reference: string, @HttpRequest() request: Request) {
    const cluster = await existingCluster(this.fleet, { scope: requestMeta(request, this.config).scope, clusterName });
    const found = this.instances.task(cluster, reference);
    if (!found) throw new PathResourceNotFound('ClientException', `Task not found in cluster ${clusterName}: ${reference}`);
    return { task: presentTask(found) };
  }
}

/** Oldest first, by creation time then ARN. */
const sortKey = (view: TaskView) => timeSortKey(view.kind === 'daemon' ? view.task.launchedAt : view.task.placedAt, view.task.taskArn);
