import type {
  DeploymentCreated,
  DeploymentEvent,
  DeploymentStopReason,
  EpochMillis,
  InstanceInScope,
  RevisionInstanceCounts,
} from '@daemonfleet/contracts';
import { assertNever } from '../shared/decider.js';

type Created = DeploymentCreated['data'];

/** The batch being drained and replaced. There is never more than one (decision 3). */
export interface OpenBatch {
  readonly batch: number;
  readonly instances: readonly InstanceInScope[];
}

/** Fixed when the deployment starts (decisions 1 and 3), then moved forward by its own events. */
export interface RolloutProgress {
  readonly startedAt: EpochMillis;
  readonly instancesInScope: number;
  readonly batchSize: number;
  readonly circuitBreaker: { readonly threshold: number; readonly failureCount: number };
  readonly alarms: { readonly monitored: readonly string[]; readonly ignoredAtStart: readonly string[]; readonly triggered: readonly string[] };
  /** The counts last recorded on the deployment's events: as it found the fleet, then as it left it (finalCounts). */
  readonly revisionCounts: readonly RevisionInstanceCounts[];
  /** Instances whose daemon task this deployment adopted (decision 12); the fleet relabels them. */
  readonly adoptedInstanceIds: ReadonlySet<string>;
  /** Batches requested so far: the open batch, if any, is number `batchesRequested`. */
  readonly batchesRequested: number;
  readonly openBatch: OpenBatch | null;
}

export interface Bake {
  readonly bakeStartedAt: EpochMillis;
  readonly bakeEndsAt: EpochMillis;
}

export interface DeploymentStop {
  readonly stoppedAt: EpochMillis;
  readonly stopReason: DeploymentStopReason;
  readonly statusReason: string;
}

export type PendingDeployment = Created & { readonly status: 'PENDING' };
/** `bake` is set once the last batch is replaced and the bake time runs (decision 4); the status stays IN_PROGRESS. */
export type InProgressDeployment = Created & RolloutProgress & { readonly status: 'IN_PROGRESS'; readonly bake: Bake | null };
export type SuccessfulDeployment = Created &
  RolloutProgress & { readonly status: 'SUCCESSFUL'; readonly statusReason: string; readonly finishedAt: EpochMillis };
/** A deployment stopped while PENDING never started: it has no rollout, only the counts it was stopped with. */
export type StoppedDeployment = Created &
  DeploymentStop & { readonly status: 'STOPPED' } & (RolloutProgress | { readonly startedAt: null; readonly revisionCounts: readonly RevisionInstanceCounts[] });

/**
 * A deployment's state is a union on its status: each status carries only what is valid in it. STOP_REQUESTED and
 * the ROLLBACK_* statuses join this union with the circuit breaker and rollback.
 */
export type DeploymentState = { readonly status: 'NONE' } | PendingDeployment | InProgressDeployment | SuccessfulDeployment | StoppedDeployment;

export type DeploymentStatus = Exclude<DeploymentState['status'], 'NONE'>;

export const TERMINAL_STATUSES: readonly DeploymentStatus[] = ['SUCCESSFUL', 'STOPPED'];

export const SUCCESS_STATUS_REASON = 'Deployment completed successfully.';

export function isTerminal(state: DeploymentState): boolean {
  return state.status !== 'NONE' && TERMINAL_STATUSES.includes(state.status);
}

export const initialDeploymentState = (): DeploymentState => ({ status: 'NONE' });

/**
 * Folds one deployment event. Every case checks that the event fits the state it meets, so a duplicated or
 * out-of-place event changes nothing (batches by their number, adoptions by instance id).
 */
export function evolveDeployment(state: DeploymentState, event: DeploymentEvent): DeploymentState {
  switch (event.type) {
    case 'DeploymentCreated':
      return state.status === 'NONE' ? { ...event.data, status: 'PENDING' } : state;
    case 'DeploymentStarted': {
      if (state.status !== 'PENDING') return state;
      const { startedAt, instancesInScope, batchSize, circuitBreakerThreshold, monitoredAlarmNames, alarmsInAlarmAtStart, revisionCounts } = event.data;
      return {
        ...state,
        status: 'IN_PROGRESS',
        startedAt,
        instancesInScope,
        batchSize,
        circuitBreaker: { threshold: circuitBreakerThreshold, failureCount: 0 },
        alarms: { monitored: monitoredAlarmNames, ignoredAtStart: alarmsInAlarmAtStart, triggered: [] },
        revisionCounts,
        adoptedInstanceIds: new Set(),
        batchesRequested: 0,
        openBatch: null,
        bake: null,
      };
    }
    case 'DaemonTasksAdopted':
      if (state.status !== 'IN_PROGRESS') return state;
      return { ...state, adoptedInstanceIds: new Set([...state.adoptedInstanceIds, ...event.data.instances.map((i) => i.instanceId)]) };
    case 'InstanceDrainsRequested': {
      if (state.status !== 'IN_PROGRESS') return state;
      const { batch, instances } = event.data;
      if (state.openBatch === null && batch === state.batchesRequested + 1) return { ...state, batchesRequested: batch, openBatch: { batch, instances } };
      if (state.openBatch?.batch !== batch) return state;
      // A further part of the open batch (a large batch is requested in parts, in one append).
      const members = new Set(state.openBatch.instances.map((i) => i.instanceId));
      return { ...state, openBatch: { batch, instances: [...state.openBatch.instances, ...instances.filter((i) => !members.has(i.instanceId))] } };
    }
    case 'InstancesReplaced':
      // The first part closes the batch; further parts of a large batch only record which replacement replaced what.
      if (state.status !== 'IN_PROGRESS' || state.openBatch?.batch !== event.data.batch) return state;
      return { ...state, openBatch: null };
    case 'DeploymentBakeStarted':
      if (state.status !== 'IN_PROGRESS' || state.bake !== null) return state;
      return { ...state, bake: { bakeStartedAt: event.data.bakeStartedAt, bakeEndsAt: event.data.bakeEndsAt } };
    case 'DeploymentSucceeded': {
      if (state.status !== 'IN_PROGRESS') return state;
      const { bake: _bake, ...rest } = state;
      return { ...rest, status: 'SUCCESSFUL', statusReason: SUCCESS_STATUS_REASON, finishedAt: event.data.finishedAt, revisionCounts: event.data.finalCounts };
    }
    case 'DeploymentStopped': {
      const stop: DeploymentStop = { stoppedAt: event.data.stoppedAt, stopReason: event.data.reason, statusReason: event.data.statusReason };
      if (state.status === 'PENDING') return { ...state, ...stop, status: 'STOPPED', startedAt: null, revisionCounts: event.data.finalCounts };
      if (state.status !== 'IN_PROGRESS') return state;
      const { bake: _bake, ...rest } = state;
      return { ...rest, ...stop, status: 'STOPPED', revisionCounts: event.data.finalCounts };
    }
    default:
      return assertNever(event);
  }
}
