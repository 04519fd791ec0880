import { describe, expect, it } from 'vitest';
import type { TaskView } from '../read-models/instance.queries.js';
import {
  activeInstance,
  appTaskArn,
  ARN,
  CLUSTER_ARN,
  daemonTask,
  daemonTaskArn,
  instanceArn,
  instanceId,
  providerAfter,
  providerCreated,
  provisioned,
  revisionArn,
  serviceArn,
  T0,
} from '../testing/fleet.fixtures.js';
import { presentTask } from './task.presenter.js';

describe('presentTask', () => {
  it('shows a daemon task started by daemon/<name> (decision 18), with the daemon task definition and its revision', () => {
    expect(presentTask(taskOf(daemonTaskArn(1, 0)))).toEqual({
      taskArn: daemonTaskArn(1, 0),
      clusterArn: CLUSTER_ARN,
      containerInstanceArn: instanceArn(1),
      capacityProviderName: 'mi-a',
      launchType: 'MANAGED_INSTANCES',
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      startedBy: 'daemon/monitor',
      group: 'daemon:monitor',
      taskDefinitionArn: `${ARN}:daemon-task-definition/monitor-agent:1`,
      createdAt: 1_742_040_005,
      startedAt: 1_742_040_010,
      attributes: [{ name: 'daemonfleet.daemon-revision', value: revisionArn('monitor', '1') }],
    });
  });

  it('shows a service’s task started by its service, with the application task definition', () => {
    expect(presentTask(taskOf(appTaskArn(1, 0)))).toEqual({
      taskArn: appTaskArn(1, 0),
      clusterArn: CLUSTER_ARN,
      containerInstanceArn: instanceArn(1),
      capacityProviderName: 'mi-a',
      launchType: 'MANAGED_INSTANCES',
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      startedBy: 'ecs-svc/web',
      group: 'service:web',
      taskDefinitionArn: `${ARN}:task-definition/web-app:1`,
      createdAt: 1_742_040_001,
      startedAt: 1_742_040_020,
      attributes: [],
    });
  });

  it('starts the daemon task before the application tasks of the same instance (spec 2.13)', () => {
    expect(presentTask(taskOf(daemonTaskArn(1, 0))).startedAt).toBeLessThan(presentTask(taskOf(appTaskArn(1, 0))).startedAt!);
  });

  it('leaves startedAt out until the task runs', () => {
    const registering = providerAfter([
      providerCreated('mi-a'),
      provisioned(2, 'mi-a'),
      { type: 'AppTaskPlaced', data: { instanceId: instanceId(2), taskArn: appTaskArn(2, 0), serviceArn: serviceArn('web'), taskDefinitionArn: 'td', placedAt: T0 } },
    ]);
    const instance = registering.fleet.instances.get(instanceId(2))!;
    const presented = presentTask({ provider: registering, instance, kind: 'application', task: instance.appTasks.get(appTaskArn(2, 0))! });
    expect(presented.lastStatus).toBe('PROVISIONING');
    expect(presented).not.toHaveProperty('startedAt');
  });
});

// Fixtures last.

const provider = providerAfter([providerCreated('mi-a'), ...activeInstance(1, 'mi-a', { daemons: [daemonTask('monitor', '1')], services: ['web'] })]);
const instance = provider.fleet.instances.get(instanceId(1))!;

function taskOf(taskArn: string): TaskView {
  const appTask = instance.appTasks.get(taskArn);
  if (appTask) return { provider, instance, kind: 'application', task: appTask };
  const daemon = [...instance.daemonTasks.values()].find((t) => t.taskArn === taskArn)!;
  return { provider, instance, kind: 'daemon', task: daemon };
}
