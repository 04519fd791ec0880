import { Injectable } from '@nestjs/common';
import {
  Arns,
  parseEcsArn,
  serviceTaskCount,
  type ActiveCapacityProvider,
  type AppTaskState,
  type ClusterReference,
  type DaemonTaskState,
  type InstanceState,
  type ServiceTaskCount,
} from '@daemonfleet/domain';
import { FleetQueries } from './fleet.queries.js';
import { ReadModels } from './read-models.js';

/** A container instance with the provider it belongs to. */
export interface InstanceView {
  readonly provider: ActiveCapacityProvider;
  readonly instance: InstanceState;
}

/** A task with its instance: a daemon's task or an application (service) task. */
export type TaskView = InstanceView & ({ readonly kind: 'daemon'; readonly task: DaemonTaskState } | { readonly kind: 'application'; readonly task: AppTaskState });

/** ListTasks' filters, as ARNs; every one given must match. */
export interface TaskFilters {
  readonly daemonArn?: string;
  readonly serviceArn?: string;
  readonly instance?: InstanceView;
}

/**
 * Container instances and their tasks, from the providers' folded fleets: the domain's per-provider index finds a
 * service's tasks, the task locator a task by ARN; only the other listings walk a cluster's fleet. Every method is
 * to be called after a freshness wait (the caller's check that the cluster exists does it).
 */
@Injectable()
export class InstanceQueries {
  constructor(
    private readonly readModels: ReadModels,
    private readonly fleet: FleetQueries,
  ) {}

  instancesOf(cluster: ClusterReference): InstanceView[] {
    return this.fleet.providersOf(cluster).flatMap((provider) => [...provider.fleet.instances.values()].map((instance) => ({ provider, instance })));
  }

  /** By container instance ARN or id; the id is the EC2 instance id (`Arns.containerInstance`). */
  instance(cluster: ClusterReference, reference: string): InstanceView | undefined {
    const id = reference.startsWith('arn:') ? idInCluster(reference, 'container-instance', cluster) : reference;
    if (id === undefined) return undefined;
    for (const provider of this.fleet.providersOf(cluster)) {
      const instance = provider.fleet.instances.get(id);
      if (instance) return { provider, instance };
    }
    return undefined;
  }

  tasks(cluster: ClusterReference, filters: TaskFilters): TaskView[] {
    const { daemonArn, serviceArn, instance } = filters;
    const candidates = serviceArn
      ? this.fleet.providersOf(cluster).flatMap((provider) => this.serviceTasksOn(provider, serviceArn))
      : (instance ? [instance] : this.instancesOf(cluster)).flatMap((view) => (daemonArn ? daemonTaskOn(view, daemonArn) : tasksOn(view)));
    return candidates.filter(
      (view) =>
        (instance === undefined || view.instance === instance.instance) &&
        (daemonArn === undefined || (view.kind === 'daemon' && view.task.daemon.daemonArn === daemonArn)) &&
        (serviceArn === undefined || (view.kind === 'application' && view.task.serviceArn === serviceArn)),
    );
  }

  /** By task ARN or by task id (the ARN's last part). */
  task(cluster: ClusterReference, reference: string): TaskView | undefined {
    const arn = reference.startsWith('arn:') ? reference : Arns.task(cluster.scope, cluster.clusterName, reference);
    if (idInCluster(arn, 'task', cluster) === undefined) return undefined;
    const location = this.readModels.taskLocator.locate(arn);
    if (!location) return undefined;
    const provider = this.readModels.capacityProviders.get(location.streamId);
    return provider?.status === 'ACTIVE' ? taskOn(provider, location.instanceId, arn) : undefined;
  }

  /**
   * A service's tasks over the providers of its strategy, counted as the fleet agent counts them: a task moving
   * off a draining instance and its replacement count once (serviceTaskCount).
   */
  serviceTaskCount(serviceArn: string, capacityProviderArns: readonly string[]): Pick<ServiceTaskCount, 'counted' | 'running'> {
    let counted = 0;
    let running = 0;
    for (const arn of capacityProviderArns) {
      const provider = this.fleet.capacityProviderByArn(arn);
      if (!provider) continue;
      const count = serviceTaskCount(provider, serviceArn);
      counted += count.counted;
      running += count.running;
    }
    return { counted, running };
  }

  private serviceTasksOn(provider: ActiveCapacityProvider, serviceArn: string): TaskView[] {
    return [...(provider.index.tasksByService.get(serviceArn) ?? [])].flatMap(([taskArn, instanceId]) => taskOn(provider, instanceId, taskArn) ?? []);
  }
}

/** The id an ARN of this resource type ends with, when the ARN is of the cluster's scope and cluster. */
function idInCluster(arn: string, resourceType: string, cluster: ClusterReference): string | undefined {
  const parsed = parseEcsArn(arn);
  const sameScope = parsed?.scope.accountId === cluster.scope.accountId && parsed.scope.region === cluster.scope.region;
  return sameScope && parsed.resourceType === resourceType && parsed.path.length === 2 && parsed.path[0] === cluster.clusterName ? parsed.path[1] : undefined;
}

function taskOn(provider: ActiveCapacityProvider, instanceId: string, taskArn: string): TaskView | undefined {
  const instance = provider.fleet.instances.get(instanceId);
  if (!instance) return undefined;
  const appTask = instance.appTasks.get(taskArn);
  if (appTask) return { provider, instance, kind: 'application', task: appTask };
  const daemonTask = [...instance.daemonTasks.values()].find((task) => task.taskArn === taskArn);
  return daemonTask && { provider, instance, kind: 'daemon', task: daemonTask };
}

/** An instance's tasks, its daemons' first: they start first (spec 3.9). */
function tasksOn({ provider, instance }: InstanceView): TaskView[] {
  return [
    ...[...instance.daemonTasks.values()].map((task): TaskView => ({ provider, instance, kind: 'daemon', task })),
    ...[...instance.appTasks.values()].map((task): TaskView => ({ provider, instance, kind: 'application', task })),
  ];
}

/** One instance's task of one daemon, if it has one (spec 1.4: one at most). */
function daemonTaskOn({ provider, instance }: InstanceView, daemonArn: string): TaskView[] {
  const task = instance.daemonTasks.get(daemonArn);
  return task ? [{ provider, instance, kind: 'daemon', task }] : [];
}
