import type { RolloutProgress, StopRequest } from './deployment.state.js';

/**
 * The `statusReason` and `rollback.reason` texts (status says what, the reason says why, in words a person reads
 * in DescribeDaemonDeployments). Each text after a stop starts with the stop's own reason, so the whole story
 * reads in one field.
 */

export const supersededStatusReason = (newerDeploymentArn: string): string =>
  `Stopped: a newer deployment of the daemon replaced this one (${newerDeploymentArn}).`;

export const circuitBreakerStopReason = (failureCount: number, threshold: number): string =>
  `The circuit breaker stopped the deployment: ${failureCount} daemon task starts of the target revision failed (threshold ${threshold}).`;

export const alarmStopReason = (alarmNames: readonly string[]): string =>
  `${alarmNames.length === 1 ? 'Alarm' : 'Alarms'} ${inWords(alarmNames)} went into ALARM and stopped the deployment.`;

/** The rollback object's reason: who initiated it (spec 3.7: "circuit breaker initiated the rollback operation"). */
export function rollbackReason(stopped: StopRequest & RolloutProgress): string {
  if (stopped.stopReason === 'CIRCUIT_BREAKER') {
    const { failureCount, threshold } = stopped.circuitBreaker;
    return `The circuit breaker initiated the rollback: ${failureCount} daemon task starts of the target revision failed (threshold ${threshold}).`;
  }
  const names = stopped.alarms.triggered;
  return `${names.length === 1 ? 'Alarm' : 'Alarms'} ${inWords(names)} initiated the rollback by going into ALARM.`;
}

export const rollingBackStatusReason = (stop: StopRequest, revisionArn: string): string => `${stop.stopStatusReason} Rolling back to revision ${revisionArn}.`;

export const rolledBackStatusReason = (stop: StopRequest, revisionArn: string): string =>
  `${stop.stopStatusReason} Rolled back: every instance in scope runs revision ${revisionArn} again.`;

export const rollbackFailedStatusReason = (stop: StopRequest, revisionArn: string, failureCount: number, threshold: number): string =>
  `${stop.stopStatusReason} The rollback to revision ${revisionArn} failed: ${failureCount} daemon task starts of that revision failed too (threshold ${threshold}); instances may run a mix of revisions.`;

export const rollbackSupersededStatusReason = (stop: StopRequest, revisionArn: string, newerDeploymentArn: string): string =>
  `${stop.stopStatusReason} The rollback to revision ${revisionArn} did not finish: a newer deployment of the daemon replaced this one (${newerDeploymentArn}).`;

/** Decision 6: nothing to roll back to. */
export const noRollbackStatusReason = (stop: StopRequest): string =>
  `${stop.stopStatusReason} There is no earlier revision to roll back to (no earlier deployment of the daemon succeeded), so the deployment stopped; instances may run a mix of revisions.`;

/** 'a', 'a' and 'b', 'a', 'b' and 'c'. */
function inWords(names: readonly string[]): string {
  const quoted = names.map((name) => `'${name}'`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}
