import type { DeploymentEvent } from '@daemonfleet/contracts';
import { assertNever } from '../shared/decider.js';
import { rollingBackStatusReason } from './deployment-status-reasons.js';
import { SUCCESS_STATUS_REASON, type DeploymentState, type DeploymentStop, type RollingDeployment } from './deployment.state.js';

/**
 * Folds one deployment event. Every case checks that the event fits the state it meets, so a duplicated or
 * out-of-place event changes nothing (batches by their number, adoptions by instance id, counts only upwards).
 */
export function evolveDeployment(state: DeploymentState, event: DeploymentEvent): DeploymentState {
  switch (event.type) {
    case 'DeploymentCreated':
      return state.status === 'NONE' ? { ...event.data, status: 'PENDING' } : state;
    case 'DeploymentStarted': {
      if (state.status !== 'PENDING') return state;
      const { startedAt, instancesInScope, batchSize, circuitBreakerThreshold, monitoredAlarmNames, alarmsInAlarmAtStart, timesInAlarmAtStart, revisionCounts } = event.data;
      return {
        ...state,
        status: 'IN_PROGRESS',
        startedAt,
        instancesInScope,
        batchSize,
        circuitBreaker: { threshold: circuitBreakerThreshold, failureCount: 0 },
        alarms: { monitored: monitoredAlarmNames, ignoredAtStart: alarmsInAlarmAtStart, timesInAlarmAtStart, triggered: [] },
        revisionCounts,
        adoptedInstanceIds: new Set(),
        batchesRequested: 0,
        openBatch: null,
        bake: null,
      };
    }
    case 'DaemonTasksAdopted':
      if (!isRolling(state)) return state;
      return { ...state, adoptedInstanceIds: new Set([...state.adoptedInstanceIds, ...event.data.instances.map((i) => i.instanceId)]) };
    case 'InstanceDrainsRequested': {
      if (!isRolling(state)) return state;
      const { batch, instances } = event.data;
      if (state.openBatch === null && batch === state.batchesRequested + 1) return { ...state, batchesRequested: batch, openBatch: { batch, instances } };
      if (state.openBatch?.batch !== batch) return state;
      // A further part of the open batch: a large batch is requested in parts in one append, and a rollback drains
      // the replacements of the batch it took over that carry the revision it rolls back from.
      const members = new Set(state.openBatch.instances.map((i) => i.instanceId));
      return { ...state, openBatch: { batch, instances: [...state.openBatch.instances, ...instances.filter((i) => !members.has(i.instanceId))] } };
    }
    case 'InstancesReplaced':
      // The first part closes the batch; further parts of a large batch only record which replacement replaced what.
      if (!isRolling(state) || state.openBatch?.batch !== event.data.batch) return state;
      return { ...state, openBatch: null };
    case 'DeploymentCountsObserved':
      // Only while the deployment moves instances: a finished one keeps the counts it ended with (its last event).
      if (!isRolling(state) && state.status !== 'STOP_REQUESTED') return state;
      return { ...state, revisionCounts: event.data.revisionCounts };
    case 'DeploymentBakeStarted':
      if (state.status !== 'IN_PROGRESS' || state.bake !== null) return state;
      return { ...state, bake: { bakeStartedAt: event.data.bakeStartedAt, bakeEndsAt: event.data.bakeEndsAt } };
    case 'DeploymentSucceeded': {
      if (state.status !== 'IN_PROGRESS') return state;
      const { bake: _bake, ...rest } = state;
      return { ...rest, status: 'SUCCESSFUL', statusReason: SUCCESS_STATUS_REASON, finishedAt: event.data.finishedAt, revisionCounts: event.data.finalCounts };
    }
    case 'CircuitBreakerFailuresRecorded': {
      if (state.status !== 'IN_PROGRESS' || event.data.failureCount <= state.circuitBreaker.failureCount) return state;
      return { ...state, circuitBreaker: { ...state.circuitBreaker, failureCount: event.data.failureCount } };
    }
    case 'DeploymentAlarmsTriggered': {
      if (state.status !== 'IN_PROGRESS') return state;
      const triggered = [...state.alarms.triggered, ...event.data.alarmNames.filter((name) => !state.alarms.triggered.includes(name))];
      return { ...state, alarms: { ...state.alarms, triggered } };
    }
    case 'DeploymentStopRequested': {
      if (state.status !== 'IN_PROGRESS') return state;
      const { bake: _bake, ...rest } = state;
      const { reason, statusReason, requestedAt } = event.data;
      return { ...rest, status: 'STOP_REQUESTED', stopReason: reason, statusReason, stopStatusReason: statusReason, stoppedAt: requestedAt };
    }
    case 'DeploymentRollbackStarted': {
      if (state.status !== 'STOP_REQUESTED') return state;
      const { rollback, rollbackTarget, batchSize } = event.data;
      return {
        ...state,
        status: 'ROLLBACK_IN_PROGRESS',
        statusReason: rollingBackStatusReason(state, rollbackTarget.arn),
        rollback,
        rollbackTarget,
        batchSize,
        // The rollback adopts for itself: what the rollout relabelled to the target is no longer where it should be.
        adoptedInstanceIds: new Set(),
      };
    }
    case 'DeploymentRolledBack':
      if (state.status !== 'ROLLBACK_IN_PROGRESS') return state;
      return { ...state, status: 'ROLLBACK_SUCCESSFUL', statusReason: event.data.statusReason, finishedAt: event.data.finishedAt, revisionCounts: event.data.finalCounts };
    case 'DeploymentRollbackFailed':
      if (state.status !== 'ROLLBACK_IN_PROGRESS') return state;
      return { ...state, status: 'ROLLBACK_FAILED', statusReason: event.data.statusReason, finishedAt: event.data.finishedAt, revisionCounts: event.data.finalCounts };
    case 'DeploymentStopped': {
      const stop: DeploymentStop = { stoppedAt: event.data.stoppedAt, stopReason: event.data.reason, statusReason: event.data.statusReason };
      if (state.status === 'PENDING') return { ...state, ...stop, status: 'STOPPED', startedAt: null, revisionCounts: event.data.finalCounts };
      // A rollback never ends STOPPED (decision 22): once it started, only ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED follow.
      if (state.status === 'STOP_REQUESTED') return { ...state, ...stop, status: 'STOPPED', revisionCounts: event.data.finalCounts };
      if (state.status !== 'IN_PROGRESS') return state;
      const { bake: _bake, ...rest } = state;
      return { ...rest, ...stop, status: 'STOPPED', revisionCounts: event.data.finalCounts };
    }
    default:
      return assertNever(event);
  }
}

function isRolling(state: DeploymentState): state is RollingDeployment {
  return state.status === 'IN_PROGRESS' || state.status === 'ROLLBACK_IN_PROGRESS';
}
