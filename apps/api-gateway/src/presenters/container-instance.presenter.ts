import type { InstanceState } from '@daemonfleet/domain';
import type { InstanceView } from '../read-models/instance.queries.js';
import { epochSeconds } from './epoch-seconds.js';
import { lastArnPart } from './arn-parts.js';

type HealthState = 'OK' | 'IMPAIRED' | 'INITIALIZING';

/**
 * DescribeContainerInstances' `containerInstance`. Its health has one check, DAEMON (spec 1.4): OK when every
 * daemon task of the instance runs; INITIALIZING while the instance registers and they start; IMPAIRED when one
 * is not running on an instance that takes tasks (a non-critical daemon that failed, decision 21).
 * The simulation's own facts are `attributes`, as ECS shows custom ones.
 */
export function presentContainerInstance({ provider, instance }: InstanceView) {
  const tasks = [...instance.daemonTasks.values(), ...instance.appTasks.values()];
  const running = tasks.filter((task) => task.status === 'RUNNING').length;
  const daemon = daemonHealth(instance);
  return {
    containerInstanceArn: instance.containerInstanceArn,
    ec2InstanceId: instance.instanceId,
    capacityProviderName: provider.name,
    status: instance.status,
    ...(instance.drain ? { statusReason: `Draining for daemon deployment ${instance.drain.deploymentId}; replaced by ${instance.drain.replacementInstanceId}` } : {}),
    agentConnected: instance.registeredAt !== null,
    runningTasksCount: running,
    pendingTasksCount: tasks.length - running,
    ...(instance.registeredAt === null ? {} : { registeredAt: epochSeconds(instance.registeredAt) }),
    healthStatus: { overallStatus: daemon.status, details: [{ type: 'DAEMON', ...daemon }] },
    attributes: attributesOf(instance),
  };
}

function daemonHealth(instance: InstanceState): { status: HealthState; statusReason?: string } {
  const notRunning = [
    ...instance.plannedDaemons.map((planned) => planned.daemonArn),
    ...[...instance.daemonTasks.values()].filter((task) => task.status !== 'RUNNING').map((task) => task.daemon.daemonArn),
  ].map(lastArnPart);
  if (notRunning.length === 0) return { status: 'OK' };
  return { status: instance.status === 'REGISTERING' ? 'INITIALIZING' : 'IMPAIRED', statusReason: `Daemon tasks not running: ${notRunning.join(', ')}` };
}

/** Why the instance exists: a service needed it, it replaces a drained one, or a user added it. */
function attributesOf(instance: InstanceState): { name: string; value: string }[] {
  return [
    { name: 'daemonfleet.launch-reason', value: instance.reason },
    ...(instance.replacesInstanceId ? [{ name: 'daemonfleet.replaces-instance', value: instance.replacesInstanceId }] : []),
  ];
}
