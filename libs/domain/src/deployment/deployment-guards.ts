import type { DeploymentEvent, DeploymentStopRequested, EpochMillis } from '@daemonfleet/contracts';
import { alarmStopReason, circuitBreakerStopReason } from './deployment-status-reasons.js';
import type { AlarmWatch, DeploymentState, InProgressDeployment } from './deployment.state.js';
import type { AlarmView, Observation } from './observations.js';

/**
 * The guards of a deployment moving forward (IN_PROGRESS, the bake included, decision 4), from what is observed:
 * - the circuit breaker (decision 1): the failed starts of the target revision on this deployment's replacements.
 *   More than recorded: CircuitBreakerFailuresRecorded; at or over the threshold: it trips.
 * - the alarms (spec 3.5): a monitored alarm in ALARM, unless it is the very episode it was in at the start.
 *   DeploymentAlarmsTriggered names them.
 * Either trips the deployment: DeploymentStopRequested, the breaker's reason first when both do. Answers [] when
 * nothing changed, so a repeated reconcile decides nothing new.
 */
export function guardEvents(state: InProgressDeployment, { now, failedStarts, alarms }: Observation): DeploymentEvent[] {
  const events: DeploymentEvent[] = [];
  const failureCount = state.targetRevision ? (failedStarts[state.targetRevision.arn] ?? 0) : 0;
  const { threshold } = state.circuitBreaker;
  if (failureCount > state.circuitBreaker.failureCount) events.push({ type: 'CircuitBreakerFailuresRecorded', data: { failureCount, recordedAt: now } });
  const firing = alarmsFiring(state.alarms, alarms).filter((name) => !state.alarms.triggered.includes(name));
  if (firing.length > 0) events.push({ type: 'DeploymentAlarmsTriggered', data: { alarmNames: firing, triggeredAt: now } });
  if (failureCount >= threshold) events.push(stopRequested('CIRCUIT_BREAKER', circuitBreakerStopReason(failureCount, threshold), now));
  else if (firing.length > 0) events.push(stopRequested('ALARM', alarmStopReason(firing), now));
  return events;
}

/**
 * The alarms a deployment looks at now: those configured while PENDING (the start records which are in ALARM),
 * those monitored while IN_PROGRESS (through the bake), none once it stopped moving forward. A delete deployment
 * watches none (`start`).
 */
export function watchedAlarmNames(state: DeploymentState): readonly string[] {
  if (state.status === 'IN_PROGRESS') return state.alarms.monitored;
  if (state.status !== 'PENDING' || !state.targetRevision) return [];
  const { enable, alarmNames } = state.deploymentConfiguration.alarms;
  return enable ? alarmNames : [];
}

/**
 * The monitored alarms in ALARM that count. One already in ALARM at the start is ignored until it leaves ALARM
 * (spec 3.5): while the number of times it went into ALARM is still the one recorded at the start, it has not
 * left; once that number grew it left and came back, however briefly, and counts.
 */
export function alarmsFiring(watch: AlarmWatch, alarms: AlarmView): string[] {
  return watch.monitored.filter((name) => {
    const alarm = alarms[name];
    if (alarm?.state !== 'ALARM') return false;
    if (!watch.ignoredAtStart.includes(name)) return true;
    const atStart = watch.timesInAlarmAtStart[name];
    return atStart !== undefined && alarm.timesInAlarm > atStart;
  });
}

function stopRequested(reason: 'CIRCUIT_BREAKER' | 'ALARM', statusReason: string, now: EpochMillis): DeploymentStopRequested {
  return { type: 'DeploymentStopRequested', data: { reason, statusReason, requestedAt: now } };
}
