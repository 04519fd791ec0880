import type { CapacityProviderCreated, CapacityProviderEvent, FleetEvent, PlannedDaemonTask, ServiceCreated } from '@daemonfleet/contracts';
import { capacityProviderDecider, type CapacityProviderState } from '@daemonfleet/domain';

/**
 * Events of the simulated fleet as the fleet agent appends them (contracts' shapes), for the gateway's specs:
 * fixed ids and instants, one cluster `prod` with Managed Instances providers.
 */

export const SCOPE = { accountId: '123456789012', region: 'us-east-1' };
export const ARN = 'arn:aws:ecs:us-east-1:123456789012';
export const CLUSTER_ARN = `${ARN}:cluster/prod`;
export const T0 = 1_742_040_000_000;
/** The deployment that drains and replaces instances in these fixtures. */
export const DEPLOYMENT_ID = 'aB1cD2eF3gH4iJ5k';

export const providerArn = (name: string) => `${ARN}:capacity-provider/${name}`;
/** A container instance's id is its EC2 instance id, as the fleet agent builds its ARN (Arns.containerInstance). */
export const instanceArn = (n: number) => `${ARN}:container-instance/prod/${instanceId(n)}`;
export const taskArn = (taskId: string) => `${ARN}:task/prod/${taskId}`;
export const daemonArn = (name: string) => `${ARN}:daemon/prod/${name}`;
export const revisionArn = (daemon: string, revisionId: string) => `${ARN}:daemon-revision/prod/${daemon}/${revisionId}`;
export const serviceArn = (name: string) => `${ARN}:service/prod/${name}`;
/** EC2-style ids: `i-` and 17 hex digits, the n-th one. */
export const instanceId = (n: number) => `i-${n.toString(16).padStart(17, '0')}`;

export function daemonTask(daemon: string, revisionId: string, { critical = true, taskDefinition = `${daemon}-agent:1` } = {}): PlannedDaemonTask {
  return {
    daemonArn: daemonArn(daemon),
    daemonRevisionArn: revisionArn(daemon, revisionId),
    daemonTaskDefinitionArn: `${ARN}:daemon-task-definition/${taskDefinition}`,
    critical,
  };
}

export function providerCreated(name: string): CapacityProviderCreated {
  return {
    type: 'CapacityProviderCreated',
    data: {
      capacityProviderArn: providerArn(name),
      name,
      type: 'MANAGED_INSTANCES',
      clusterName: 'prod',
      managedInstancesProvider: {},
      autoScalingGroupProvider: null,
      tags: [],
      createdAt: T0,
    },
  };
}

export function serviceCreated(name: string, provider: string, desiredCount: number): ServiceCreated {
  return {
    type: 'ServiceCreated',
    data: {
      serviceArn: serviceArn(name),
      serviceName: name,
      clusterArn: CLUSTER_ARN,
      taskDefinitionArn: `${ARN}:task-definition/${name}-app:1`,
      desiredCount,
      capacityProviderStrategy: [{ capacityProviderArn: providerArn(provider), weight: 1, base: 0 }],
      tags: [],
      createdAt: T0,
    },
  };
}

/**
 * The events that take one instance of `provider` from provisioning to ACTIVE with its daemon tasks running,
 * each daemon task started `at + 10 s`, then one application task per service given, running at `at + 20 s`.
 */
export function activeInstance(
  n: number,
  provider: string,
  { daemons = [] as PlannedDaemonTask[], services = [] as string[], at = T0, replaces = null as string | null } = {},
): FleetEvent[] {
  const id = instanceId(n);
  return [
    provisioned(n, provider, { daemons, at, replaces }),
    { type: 'InstanceRegistered', data: { instanceId: id, registeredAt: at + 5_000 } },
    ...daemons.flatMap((daemon, d): FleetEvent[] => [
      { type: 'DaemonTaskLaunched', data: { instanceId: id, taskArn: daemonTaskArn(n, d), daemon, launchedAt: at + 5_000, runsAt: at + 10_000 } },
      { type: 'DaemonTaskStarted', data: { instanceId: id, taskArn: daemonTaskArn(n, d), daemonArn: daemon.daemonArn, startedAt: at + 10_000 } },
    ]),
    { type: 'InstanceActivated', data: { instanceId: id, activatedAt: at + 10_000 } },
    ...services.flatMap((service, s): FleetEvent[] => [
      { type: 'AppTaskPlaced', data: { instanceId: id, taskArn: appTaskArn(n, s), serviceArn: serviceArn(service), taskDefinitionArn: `${ARN}:task-definition/${service}-app:1`, placedAt: at + 1_000 } },
      { type: 'AppTaskStarting', data: { instanceId: id, taskArn: appTaskArn(n, s), startingAt: at + 10_000, runsAt: at + 20_000 } },
      { type: 'AppTaskStarted', data: { instanceId: id, taskArn: appTaskArn(n, s), startedAt: at + 20_000 } },
    ]),
  ];
}

export function provisioned(n: number, provider: string, { daemons = [] as PlannedDaemonTask[], at = T0, replaces = null as string | null } = {}): FleetEvent {
  return {
    type: 'InstanceProvisioningStarted',
    data: {
      instanceId: instanceId(n),
      containerInstanceArn: instanceArn(n),
      capacityProviderArn: providerArn(provider),
      clusterArn: CLUSTER_ARN,
      reason: replaces ? 'REPLACEMENT' : 'SERVICE_SCALE_OUT',
      replacesInstanceId: replaces,
      deploymentId: replaces ? DEPLOYMENT_ID : null,
      daemons,
      startedAt: at,
      registersAt: at + 5_000,
    },
  };
}

export function drainStarted(n: number, replacement: number, { deploymentId = DEPLOYMENT_ID, at = T0 + 60_000 } = {}): FleetEvent {
  return { type: 'InstanceDrainStarted', data: { instanceId: instanceId(n), deploymentId, fence: 3, replacementInstanceId: instanceId(replacement), startedAt: at } };
}

/** The id of the d-th daemon task of instance n, and of its s-th application task. */
export const daemonTaskArn = (n: number, d: number) => taskArn(`d${n}x${d}`);
export const appTaskArn = (n: number, s: number) => taskArn(`a${n}x${s}`);

/** The provider these events fold to (its first event creates it), with its fleet, as the gateway folds it. */
export function providerAfter(events: readonly CapacityProviderEvent[]): Extract<CapacityProviderState, { status: 'ACTIVE' }> {
  const state = events.reduce(capacityProviderDecider.evolve, capacityProviderDecider.initialState());
  if (state.status !== 'ACTIVE') throw new Error('no capacity provider');
  return state;
}
