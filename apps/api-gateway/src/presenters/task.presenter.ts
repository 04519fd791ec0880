import type { TaskView } from '../read-models/instance.queries.js';
import { lastArnPart } from './arn-parts.js';
import { epochSeconds } from './epoch-seconds.js';

/**
 * DescribeTasks' `task`, for a daemon's task or a service's. A daemon task is started by `daemon/<name>`
 * (decision 18) and runs the daemon task definition; its revision is an attribute, since an adopted task
 * (decision 12) keeps its task definition. Every task here is meant to run: stopped tasks are gone.
 */
export function presentTask(view: TaskView) {
  const { provider, instance } = view;
  const common = {
    taskArn: view.task.taskArn,
    clusterArn: instance.clusterArn,
    containerInstanceArn: instance.containerInstanceArn,
    capacityProviderName: provider.name,
    launchType: 'MANAGED_INSTANCES',
    lastStatus: view.task.status,
    desiredStatus: 'RUNNING',
  };
  const startedAt = view.task.startedAt === null ? {} : { startedAt: epochSeconds(view.task.startedAt) };
  if (view.kind === 'daemon') {
    const { daemon } = view.task;
    const name = lastArnPart(daemon.daemonArn);
    return {
      ...common,
      startedBy: `daemon/${name}`,
      group: `daemon:${name}`,
      taskDefinitionArn: daemon.daemonTaskDefinitionArn,
      createdAt: epochSeconds(view.task.launchedAt),
      ...startedAt,
      attributes: [{ name: 'daemonfleet.daemon-revision', value: daemon.daemonRevisionArn }],
    };
  }
  const serviceName = lastArnPart(view.task.serviceArn);
  return {
    ...common,
    startedBy: `ecs-svc/${serviceName}`,
    group: `service:${serviceName}`,
    taskDefinitionArn: view.task.taskDefinitionArn,
    createdAt: epochSeconds(view.task.placedAt),
    ...startedAt,
    attributes: [],
  };
}
