import { Inject, Injectable } from '@nestjs/common';
import { Streams } from '@daemonfleet/contracts';
import { Arns, resolveClusterReference } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { NextTokens, timeSortKey } from '../../pagination/next-token.js';
import { presentContainerInstance } from '../../presenters/container-instance.presenter.js';
import { presentTask } from '../../presenters/task.presenter.js';
import { FleetQueries } from '../../read-models/fleet.queries.js';
import { InstanceQueries, type TaskView } from '../../read-models/instance.queries.js';
import { existingCluster } from '../../rest/path-resources.js';
import { missing, operation, pagedOperation, type EcsOperationGroup } from './ecs-operation.js';
import { DescribeContainerInstancesRequest, DescribeTasksRequest, ListContainerInstancesRequest, ListTasksRequest } from './ecs-requests.dto.js';

/**
 * The simulated fleet as ECS shows it: a cluster's container instances and their tasks, daemon tasks included
 * (started by `daemon/<name>`, decision 18). Stopped tasks are not kept. Lists are oldest first, 100 a page.
 */
@Injectable()
export class FleetViewOperations implements EcsOperationGroup {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly fleet: FleetQueries,
    private readonly instances: InstanceQueries,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  readonly operations = {
    ListContainerInstances: operation('ListContainerInstances', ListContainerInstancesRequest, async (input, context) => {
      const cluster = await existingCluster(this.fleet, resolveClusterReference('cluster', input.cluster, context.scope));
      const matching = this.instances.instancesOf(cluster).filter(({ instance }) => input.status === undefined || instance.status === input.status);
      const page = this.nextTokens.page(
        pagedOperation('ListContainerInstances', context, Streams.cluster(cluster.scope, cluster.clusterName)),
        { status: input.status },
        matching,
        ({ instance }) => timeSortKey(instance.startedAt, instance.containerInstanceArn),
        { maxResults: input.maxResults ?? 100, nextToken: input.nextToken },
      );
      return { containerInstanceArns: page.items.map(({ instance }) => instance.containerInstanceArn), nextToken: page.nextToken };
    }),

    /** By id, ARN or EC2 instance id; unknown ones are MISSING failures. */
    DescribeContainerInstances: operation('DescribeContainerInstances', DescribeContainerInstancesRequest, async (input, { scope }) => {
      const cluster = await existingCluster(this.fleet, resolveClusterReference('cluster', input.cluster, scope));
      const containerInstances = [];
      const failures = [];
      for (const reference of input.containerInstances) {
        const found = this.instances.instance(cluster, reference);
        if (found) containerInstances.push(presentContainerInstance(found));
        else failures.push(missing(reference));
      }
      return { containerInstances, failures };
    }),

    /** Filtered by daemonName (spec 2.13), serviceName, containerInstance and desiredStatus (only RUNNING tasks are kept). */
    ListTasks: operation('ListTasks', ListTasksRequest, async (input, context) => {
      const cluster = await existingCluster(this.fleet, resolveClusterReference('cluster', input.cluster, context.scope));
      const instance = input.containerInstance === undefined ? undefined : this.instances.instance(cluster, input.containerInstance);
      const unmatchable = (input.containerInstance !== undefined && !instance) || (input.desiredStatus ?? 'RUNNING') !== 'RUNNING';
      const tasks = unmatchable
        ? []
        : this.instances.tasks(cluster, {
            daemonArn: input.daemonName && Arns.daemon(cluster.scope, cluster.clusterName, input.daemonName),
            serviceArn: input.serviceName && Arns.service(cluster.scope, cluster.clusterName, input.serviceName),
            instance,
          });
      const { daemonName, serviceName, containerInstance, desiredStatus } = input;
      const page = this.nextTokens.page(
        pagedOperation('ListTasks', context, Streams.cluster(cluster.scope, cluster.clusterName)),
        { daemonName, serviceName, containerInstance, desiredStatus },
        tasks,
        taskSortKey,
        { maxResults: input.maxResults ?? 100, nextToken: input.nextToken },
      );
      return { taskArns: page.items.map((view) => view.task.taskArn), nextToken: page.nextToken };
    }),

    /** By id or ARN; unknown (or stopped) ones are MISSING failures. */
    DescribeTasks: operation('DescribeTasks', DescribeTasksRequest, async (input, { scope }) => {
      const cluster = await existingCluster(this.fleet, resolveClusterReference('cluster', input.cluster, scope));
      const tasks = [];
      const failures = [];
      for (const reference of input.tasks) {
        const found = this.instances.task(cluster, reference);
        if (found) tasks.push(presentTask(found));
        else failures.push(missing(reference.startsWith('arn:') ? reference : Arns.task(cluster.scope, cluster.clusterName, reference)));
      }
      return { tasks, failures };
    }),
  };
}

/** Oldest first, by creation time then ARN. */
const taskSortKey = (view: TaskView) => timeSortKey(view.kind === 'daemon' ? view.task.launchedAt : view.task.placedAt, view.task.taskArn);
