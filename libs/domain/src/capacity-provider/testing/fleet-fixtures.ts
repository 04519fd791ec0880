import type { CapacityProviderEvent, FleetEvent, PlannedDaemonTask } from '@daemonfleet/contracts';
import type { FaultRule } from '../../fault/fault-rule.decider.js';
import type { FleetFaults } from '../fleet-faults.js';
import type { DaemonPlacement, FleetIds, FleetTimings } from '../fleet-simulation.js';

/**
 * Fixtures of the fleet's unit tests: one Managed Instances provider `mi` of cluster `prod`, fixed instants, ids
 * drawn in sequence (so a scenario can say which id a command will draw), and builders of the fleet events.
 */

export const scope = { accountId: '123456789012', region: 'us-east-1' };
const prefix = 'arn:aws:ecs:us-east-1:123456789012';
export const providerArn = `${prefix}:capacity-provider/mi`;
export const clusterArn = `${prefix}:cluster/prod`;
export const serviceArn = `${prefix}:service/prod/web`;
export const otherServiceArn = `${prefix}:service/prod/api`;
export const taskDefinitionArn = `${prefix}:task-definition/web:1`;
export const t0 = 1_742_040_000_000;

export const timings: FleetTimings = {
  instanceProvisioningMs: 60_000,
  daemonTaskStartMs: 5_000,
  appTaskStartMs: 10_000,
  drainMs: 0,
  retryBackoffMs: 10_000,
  retryBackoffMaxMs: 300_000,
};
export const zeroTimings: FleetTimings = { instanceProvisioningMs: 0, daemonTaskStartMs: 0, appTaskStartMs: 0, drainMs: 0, retryBackoffMs: 0, retryBackoffMaxMs: 0 };

export const instanceId = (n: number) => `i-${n.toString(16).padStart(17, '0')}`;
export const taskId = (n: number) => n.toString(16).padStart(32, '0');
export const instanceArn = (n: number) => `${prefix}:container-instance/prod/${instanceId(n)}`;
export const taskArn = (n: number) => `${prefix}:task/prod/${taskId(n)}`;

/** Instances and tasks numbered from `first` on, separately; scenarios give their own instances lower numbers. */
export function sequentialIds(first = 0x100): FleetIds {
  const next = { instance: first, task: first };
  return { next: (kind) => (kind === 'instance' ? instanceId(next.instance++) : taskId(next.task++)) };
}

const daemonArn = (name: string) => `${prefix}:daemon/prod/${name}`;
export function daemon(name: string, revision: number, { critical = true } = {}): PlannedDaemonTask {
  return {
    daemonArn: daemonArn(name),
    daemonRevisionArn: `${prefix}:daemon-revision/prod/${name}/${revision}`,
    daemonTaskDefinitionArn: `${prefix}:daemon-task-definition/${name}:${revision}`,
    critical,
  };
}
export const placed = (task: PlannedDaemonTask, providers: readonly string[] = [providerArn]): DaemonPlacement => ({ ...task, capacityProviderArns: providers });

export const providerCreated: CapacityProviderEvent = {
  type: 'CapacityProviderCreated',
  data: {
    capacityProviderArn: providerArn,
    name: 'mi',
    type: 'MANAGED_INSTANCES',
    clusterName: 'prod',
    managedInstancesProvider: {},
    autoScalingGroupProvider: null,
    tags: [],
    createdAt: t0,
  },
};

//// Fleet events

export function provisioned(
  n: number,
  {
    daemons = [],
    at = t0,
    registersAt = at + timings.instanceProvisioningMs,
    reason = 'EMULATOR_REQUEST',
    replaces = null,
    deploymentId = null,
  }: {
    daemons?: readonly PlannedDaemonTask[];
    at?: number;
    registersAt?: number;
    reason?: 'EMULATOR_REQUEST' | 'SERVICE_SCALE_OUT' | 'REPLACEMENT';
    replaces?: number | null;
    deploymentId?: string | null;
  } = {},
): FleetEvent {
  return {
    type: 'InstanceProvisioningStarted',
    data: {
      instanceId: instanceId(n),
      containerInstanceArn: instanceArn(n),
      capacityProviderArn: providerArn,
      clusterArn,
      reason,
      replacesInstanceId: replaces === null ? null : instanceId(replaces),
      deploymentId,
      daemons: [...daemons],
      startedAt: at,
      registersAt,
    },
  };
}
export const registered = (n: number, at: number): FleetEvent => ({ type: 'InstanceRegistered', data: { instanceId: instanceId(n), registeredAt: at } });
export const launched = (n: number, task: number, planned: PlannedDaemonTask, at: number, runsAt: number): FleetEvent => ({
  type: 'DaemonTaskLaunched',
  data: { instanceId: instanceId(n), taskArn: taskArn(task), daemon: planned, launchedAt: at, runsAt },
});
export const daemonStarted = (n: number, task: number, planned: PlannedDaemonTask, at: number): FleetEvent => ({
  type: 'DaemonTaskStarted',
  data: { instanceId: instanceId(n), taskArn: taskArn(task), daemonArn: planned.daemonArn, startedAt: at },
});
export const activated = (n: number, at: number): FleetEvent => ({ type: 'InstanceActivated', data: { instanceId: instanceId(n), activatedAt: at } });
export const appPlaced = (n: number, task: number, at: number, { service = serviceArn, replaces }: { service?: string; replaces?: [number, number] } = {}): FleetEvent => ({
  type: 'AppTaskPlaced',
  data: {
    instanceId: instanceId(n),
    taskArn: taskArn(task),
    serviceArn: service,
    taskDefinitionArn,
    placedAt: at,
    ...(replaces ? { replacesTask: { instanceId: instanceId(replaces[0]), taskArn: taskArn(replaces[1]) } } : {}),
  },
});
export const appStarting = (n: number, task: number, at: number, runsAt: number): FleetEvent => ({
  type: 'AppTaskStarting',
  data: { instanceId: instanceId(n), taskArn: taskArn(task), startingAt: at, runsAt },
});
export const appStarted = (n: number, task: number, at: number): FleetEvent => ({ type: 'AppTaskStarted', data: { instanceId: instanceId(n), taskArn: taskArn(task), startedAt: at } });
export const appStopped = (
  n: number,
  task: number,
  at: number,
  reason: 'INSTANCE_DRAINED' | 'SERVICE_SCALED_IN' | 'SERVICE_DELETED',
  service = serviceArn,
): FleetEvent => ({ type: 'AppTaskStopped', data: { instanceId: instanceId(n), taskArn: taskArn(task), serviceArn: service, reason, stoppedAt: at } });
export const drainStarted = (n: number, replacement: number, at: number, { deploymentId = 'aB1cD2eF3gH4iJ5k', fence = 3 } = {}): FleetEvent => ({
  type: 'InstanceDrainStarted',
  data: { instanceId: instanceId(n), deploymentId, fence, replacementInstanceId: instanceId(replacement), startedAt: at },
});
export const adopted = (n: number, task: number, from: PlannedDaemonTask, to: PlannedDaemonTask, at: number, { deploymentId = 'aB1cD2eF3gH4iJ5k', fence = 5 } = {}): FleetEvent => ({
  type: 'DaemonTaskAdopted',
  data: { instanceId: instanceId(n), taskArn: taskArn(task), daemonArn: from.daemonArn, fromRevisionArn: from.daemonRevisionArn, toRevisionArn: to.daemonRevisionArn, deploymentId, fence, adoptedAt: at },
});
export const fenceAdvanced = (fence: number, at: number, { deploymentId = 'aB1cD2eF3gH4iJ5k' } = {}): CapacityProviderEvent => ({
  type: 'DeploymentFenceAdvanced',
  data: { deploymentId, fence, advancedAt: at },
});
export const deregistered = (n: number, at: number): FleetEvent => ({ type: 'InstanceDeregistered', data: { instanceId: instanceId(n), deregisteredAt: at } });

/** An instance ACTIVE at t0 running `daemons` (task numbers 100n + k) and, optionally, one task of the service. */
export function activeInstance(n: number, daemons: readonly PlannedDaemonTask[] = [], { appTask }: { appTask?: number } = {}): FleetEvent[] {
  return [
    provisioned(n, { daemons, registersAt: t0 }),
    registered(n, t0),
    ...daemons.flatMap((planned, k) => [launched(n, 100 * n + k, planned, t0, t0), daemonStarted(n, 100 * n + k, planned, t0)]),
    activated(n, t0),
    ...(appTask === undefined ? [] : [appPlaced(n, appTask, t0), appStarting(n, appTask, t0, t0), appStarted(n, appTask, t0)]),
  ];
}

//// Faults

/** Fault rule number `n` on `image` (its id: n in 32 hex digits). */
export function faultRule(n: number, image: string, { start = 0, provisioning = 0 }: { start?: number; provisioning?: number } = {}): FaultRule {
  return { faultId: n.toString(16).padStart(32, 'f'), image, daemonTaskStartFailureRate: start, instanceProvisioningFailureRate: provisioning };
}

/** The image of each fixture daemon's task definition: `<name>:<revision>.0`. */
export const imageOf = (planned: PlannedDaemonTask): string => `${planned.daemonTaskDefinitionArn.split('/').at(-1)}.0`;

/**
 * Faults as the app hands them over, with scripted draws: a test says which numbers the fleet draws, and a draw
 * nobody scripted fails the test (so does one left over, with `drawsLeft`).
 */
export function faults(rules: readonly FaultRule[], draws: readonly number[] = [], daemons: readonly PlannedDaemonTask[] = []): FleetFaults & { drawsLeft(): number } {
  const queue = [...draws];
  return {
    rules,
    images: new Map(daemons.map((planned) => [planned.daemonTaskDefinitionArn, [imageOf(planned), 'public.ecr.aws/example/sidecar:1']])),
    draw: () => {
      const next = queue.shift();
      if (next === undefined) throw new Error('the fleet drew a number no scenario scripted');
      return next;
    },
    drawsLeft: () => queue.length,
  };
}

export const failedToStart = (n: number, task: number, planned: PlannedDaemonTask, rule: FaultRule, at: number, attempt: number, retryAt: number): FleetEvent => ({
  type: 'DaemonTaskFailedToStart',
  data: {
    instanceId: instanceId(n),
    taskArn: taskArn(task),
    daemon: planned,
    failureType: 'TASK_FAILED_TO_RUN',
    reason: `Essential container in task exited: image ${rule.image} failed to start (fault injected by rule ${rule.faultId})`,
    attempt,
    failedAt: at,
    retryAt,
  },
});
export const provisioningFailed = (n: number, rule: FaultRule, at: number, attempt: number, retryAt: number): FleetEvent => ({
  type: 'InstanceProvisioningFailed',
  data: {
    instanceId: instanceId(n),
    reason: `Instance launch failed: the instance for image ${rule.image} could not be provisioned (fault injected by rule ${rule.faultId})`,
    attempt,
    failedAt: at,
    retryAt,
  },
});
