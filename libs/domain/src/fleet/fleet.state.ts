import type { AppTaskRef, DeploymentFenceAdvanced, EpochMillis, FleetEvent, InstanceLaunchReason, PlannedDaemonTask } from '@daemonfleet/contracts';
import { assertNever } from '../shared/decider.js';

/**
 * The instances of one capacity provider (docs/rollout.md), folded from the fleet events of its stream.
 *
 * Ownership: unlike the other states, a fleet state is changed in place by `evolveFleet`, which returns the
 * object it was given. A provider holds thousands of instances, and copying them on each of tens of thousands of
 * events would make a rollout quadratic. Callers fold into a state they own (the aggregate cache, a read model)
 * and never keep an older reference expecting it unchanged; `decide`-side functions only read it.
 */
export interface FleetState {
  readonly instances: Map<string, InstanceState>;
  /**
   * The highest fencing token seen per deployment, recorded by every command of the deployment the fleet accepted
   * (InstanceDrainStarted, DaemonTaskAdopted, DeploymentFenceAdvanced). Invariant: the fence of a deployment at the
   * fleet only moves forward; any command with a lower fence is refused.
   */
  readonly fences: Map<string, number>;
}

/**
 * REGISTERING until its daemon tasks run (spec 3.9), for good while a critical one cannot start (spec 3.8); DRAINING
 * once a deployment drains it; gone when deregistered.
 */
export type InstanceStatus = 'REGISTERING' | 'ACTIVE' | 'DRAINING';

export interface InstanceState {
  readonly instanceId: string;
  readonly containerInstanceArn: string;
  readonly capacityProviderArn: string;
  readonly clusterArn: string;
  readonly reason: InstanceLaunchReason;
  readonly replacesInstanceId: string | null;
  readonly deploymentId: string | null;
  status: InstanceStatus;
  /** Daemon tasks to launch once registered (spec 3.9); emptied as they launch. */
  plannedDaemons: PlannedDaemonTask[];
  readonly startedAt: EpochMillis;
  /** When provisioning is done; moved to the retry time when provisioning fails (InstanceProvisioningFailed). */
  registersAt: EpochMillis;
  /** Failed provisioning attempts so far. */
  provisioningFailures: number;
  registeredAt: EpochMillis | null;
  activatedAt: EpochMillis | null;
  /** One task per daemon (spec 1.4), by daemon ARN. */
  readonly daemonTasks: Map<string, DaemonTaskState>;
  /** Application tasks by task ARN. */
  readonly appTasks: Map<string, AppTaskState>;
  drain: InstanceDrain | null;
}

export interface DaemonTaskState {
  readonly taskArn: string;
  /** The revision it counts for: the one it was launched with, or the one that adopted it (decision 12). */
  daemon: PlannedDaemonTask;
  /**
   * STOPPED: the task failed to start (DaemonTaskFailedToStart, spec 3.8); a new task of the daemon takes its place
   * at `retryAt` (decision 21), unless the instance drains by then.
   */
  status: 'PENDING' | 'RUNNING' | 'STOPPED';
  readonly launchedAt: EpochMillis;
  readonly runsAt: EpochMillis;
  startedAt: EpochMillis | null;
  /** Failed starts of this daemon on this instance so far: carried over to the task that retries it. */
  failedAttempts: number;
  /** While STOPPED: when the next attempt launches, and why this one failed. */
  retryAt: EpochMillis | null;
  stoppedReason: string | null;
}

export interface AppTaskState {
  readonly taskArn: string;
  readonly serviceArn: string;
  readonly taskDefinitionArn: string;
  /** PROVISIONING while the instance registers, PENDING while starting, then RUNNING (spec 3.9). */
  status: 'PROVISIONING' | 'PENDING' | 'RUNNING';
  readonly placedAt: EpochMillis;
  runsAt: EpochMillis | null;
  startedAt: EpochMillis | null;
  /**
   * A task moved off a draining instance is a new task that takes over from the old one (AppTaskPlaced's
   * `replacesTask`). The two are linked both ways while both exist; a chain of moves (the replacement drained in
   * turn) stays one chain when a middle task stops. Only the last task of a chain counts for its service.
   */
  replaces: AppTaskRef | null;
  replacedBy: AppTaskRef | null;
}

export interface InstanceDrain {
  readonly deploymentId: string;
  readonly fence: number;
  readonly replacementInstanceId: string;
  readonly startedAt: EpochMillis;
}

export const initialFleetState = (): FleetState => ({ instances: new Map(), fences: new Map() });

/**
 * Folds one fleet event, or a deployment's fence, into the state, in place (see FleetState). Events about unknown
 * instances change nothing.
 */
export function evolveFleet(state: FleetState, event: FleetEvent | DeploymentFenceAdvanced): FleetState {
  if (event.type === 'DeploymentFenceAdvanced') {
    advanceFence(state, event.data.deploymentId, event.data.fence);
    return state;
  }
  if (event.type === 'InstanceProvisioningStarted') {
    const { daemons, ...data } = event.data;
    state.instances.set(data.instanceId, {
      ...data,
      status: 'REGISTERING',
      plannedDaemons: [...daemons],
      provisioningFailures: 0,
      registeredAt: null,
      activatedAt: null,
      daemonTasks: new Map(),
      appTasks: new Map(),
      drain: null,
    });
    return state;
  }
  const instance = state.instances.get(event.data.instanceId);
  if (!instance) return state;
  switch (event.type) {
    case 'InstanceProvisioningFailed':
      instance.registersAt = event.data.retryAt;
      instance.provisioningFailures = event.data.attempt;
      return state;
    case 'InstanceRegistered':
      instance.registeredAt = event.data.registeredAt;
      return state;
    case 'DaemonTaskLaunched': {
      const { taskArn, daemon, launchedAt, runsAt } = event.data;
      // A launch after a failed start retries it: the new task takes the place of the stopped one, and its count.
      const failedAttempts = instance.daemonTasks.get(daemon.daemonArn)?.failedAttempts ?? 0;
      instance.plannedDaemons = instance.plannedDaemons.filter((planned) => planned.daemonArn !== daemon.daemonArn);
      instance.daemonTasks.set(daemon.daemonArn, { taskArn, daemon, status: 'PENDING', launchedAt, runsAt, startedAt: null, failedAttempts, retryAt: null, stoppedReason: null });
      return state;
    }
    case 'DaemonTaskFailedToStart': {
      const task = instance.daemonTasks.get(event.data.daemon.daemonArn);
      if (task?.taskArn === event.data.taskArn) {
        task.status = 'STOPPED';
        task.failedAttempts = event.data.attempt;
        task.retryAt = event.data.retryAt;
        task.stoppedReason = event.data.reason;
      }
      return state;
    }
    case 'DaemonTaskStarted': {
      const task = instance.daemonTasks.get(event.data.daemonArn);
      if (task?.taskArn === event.data.taskArn) {
        task.status = 'RUNNING';
        task.startedAt = event.data.startedAt;
      }
      return state;
    }
    case 'DaemonTaskAdopted': {
      if (event.data.fence !== undefined) advanceFence(state, event.data.deploymentId, event.data.fence);
      const task = instance.daemonTasks.get(event.data.daemonArn);
      if (task?.taskArn === event.data.taskArn) task.daemon = { ...task.daemon, daemonRevisionArn: event.data.toRevisionArn };
      return state;
    }
    case 'InstanceActivated':
      if (instance.status === 'REGISTERING') instance.status = 'ACTIVE';
      instance.activatedAt = event.data.activatedAt;
      return state;
    case 'AppTaskPlaced': {
      const { taskArn, serviceArn, taskDefinitionArn, placedAt, replacesTask } = event.data;
      const replaced = replacesTask ? appTaskAt(state, replacesTask) : undefined;
      if (replaced) replaced.replacedBy = { instanceId: instance.instanceId, taskArn };
      instance.appTasks.set(taskArn, {
        taskArn,
        serviceArn,
        taskDefinitionArn,
        status: 'PROVISIONING',
        placedAt,
        runsAt: null,
        startedAt: null,
        replaces: replaced ? replacesTask! : null,
        replacedBy: null,
      });
      return state;
    }
    case 'AppTaskStarting': {
      const task = instance.appTasks.get(event.data.taskArn);
      if (task) {
        task.status = 'PENDING';
        task.runsAt = event.data.runsAt;
      }
      return state;
    }
    case 'AppTaskStarted': {
      const task = instance.appTasks.get(event.data.taskArn);
      if (task) {
        task.status = 'RUNNING';
        task.startedAt = event.data.startedAt;
      }
      return state;
    }
    case 'AppTaskStopped': {
      const task = instance.appTasks.get(event.data.taskArn);
      if (!task) return state;
      instance.appTasks.delete(task.taskArn);
      // Unlinks the task from its chain: the task it replaced and the one replacing it now face each other.
      const replaced = task.replaces ? appTaskAt(state, task.replaces) : undefined;
      const replacement = task.replacedBy ? appTaskAt(state, task.replacedBy) : undefined;
      if (replaced) replaced.replacedBy = replacement ? task.replacedBy : null;
      if (replacement) replacement.replaces = replaced ? task.replaces : null;
      return state;
    }
    case 'InstanceDrainStarted': {
      const { deploymentId, fence, replacementInstanceId, startedAt } = event.data;
      instance.status = 'DRAINING';
      instance.drain = { deploymentId, fence, replacementInstanceId, startedAt };
      advanceFence(state, deploymentId, fence);
      return state;
    }
    case 'InstanceDeregistered':
      state.instances.delete(instance.instanceId);
      return state;
    default:
      return assertNever(event);
  }
}

/** The fence of a deployment at the fleet only moves forward: a lower one than it holds changes nothing. */
function advanceFence(state: FleetState, deploymentId: string, fence: number): void {
  const seen = state.fences.get(deploymentId);
  if (seen === undefined || fence > seen) state.fences.set(deploymentId, fence);
}

/** The application task at `ref`, if it still exists. */
export function appTaskAt(state: FleetState, ref: AppTaskRef): AppTaskState | undefined {
  return state.instances.get(ref.instanceId)?.appTasks.get(ref.taskArn);
}

/**
 * Whether the task keeps its REGISTERING instance from activating (spec 3.9: daemons start first). A critical
 * daemon's task does until it runs (spec 3.8: if it cannot start, the instance never becomes active); a
 * non-critical one only until it first fails (decision 21: its instance is released at once, the task retried).
 */
export function holdsActivation(task: DaemonTaskState): boolean {
  return task.status !== 'RUNNING' && (task.daemon.critical || task.failedAttempts === 0);
}

/** A critical daemon's task failed to start on the REGISTERING instance: it is out of service and takes no new task. */
export function heldBackByFailedDaemon(instance: InstanceState): boolean {
  if (instance.status !== 'REGISTERING') return false;
  for (const task of instance.daemonTasks.values()) if (task.daemon.critical && task.failedAttempts > 0 && task.status !== 'RUNNING') return true;
  return false;
}

/** Whether the instance runs a task of the daemon at this revision. */
export function runsRevision(instance: InstanceState, daemonArn: string, revisionArn: string): boolean {
  const task = instance.daemonTasks.get(daemonArn);
  return task?.status === 'RUNNING' && task.daemon.daemonRevisionArn === revisionArn;
}
