import type { DaemonDeployment, DeploymentAtVersion, RevisionCounts } from '../http/gateway-api.js';
import { progressLine } from './progress-bar.js';
import { clock, dateTime, shortArn, shortenArns } from './text.js';

/**
 * A deployment at one version, as a block a person reads: the event that brought it there (and why), its status
 * and reason, the counts per revision and provider, the circuit breaker, the alarms, the rollback, the progress.
 */
export function deploymentView({ deploymentId, version, event, daemonDeployment: d, progress }: DeploymentAtVersion, lastVersion?: number): string[] {
  const of = lastVersion === undefined ? '' : ` of ${lastVersion}`;
  const lines = [
    `Deployment ${deploymentId} at version ${version}${of}: ${event.type} at ${clock(event.occurredAt)} UTC`,
    `  ${event.summary}`,
    '',
    row('Status', d.status),
    ...(d.statusReason ? [row('Reason', shortenArns(d.statusReason))] : []),
    row('Created', dateTime(d.createdAt)),
    ...(d.startedAt !== undefined ? [row('Started', dateTime(d.startedAt))] : []),
    ...(d.stoppedAt !== undefined ? [row('Stopped', dateTime(d.stoppedAt))] : []),
    ...(d.finishedAt !== undefined ? [row('Finished', dateTime(d.finishedAt))] : []),
    ...(d.targetDaemonRevision ? revisionLines('Target', d.targetDaemonRevision) : [row('Target', 'none: the daemon is being removed')]),
    ...(d.sourceDaemonRevisions.length === 0 ? [row('Sources', 'none')] : d.sourceDaemonRevisions.flatMap((r, i) => revisionLines(i === 0 ? 'Sources' : '', r))),
    row('Breaker', d.circuitBreaker ? `${d.circuitBreaker.failureCount} of ${d.circuitBreaker.threshold} failed starts (${d.circuitBreaker.status})` : 'not started'),
    row('Alarms', alarms(d)),
    ...(d.rollback ? [row('Rollback', `to revision ${shortArn(d.rollback.rollbackTargetDaemonRevisionArn)} since ${dateTime(d.rollback.startedAt)}: ${shortenArns(d.rollback.reason)}`)] : []),
    row('Settings', `drainPercent ${d.deploymentConfiguration.drainPercent}, bake ${d.deploymentConfiguration.bakeTimeInMinutes} min`),
    row('Progress', progressLine(progress)),
  ];
  return lines;
}

const row = (label: string, value: string) => `${label.padEnd(10)}${value}`;

function revisionLines(label: string, r: RevisionCounts): string[] {
  const totals = `revision ${shortArn(r.arn)}: ${counts(r.totalRunningInstanceCount, r.totalDrainingInstanceCount, r.totalWithoutDaemonInstanceCount)}`;
  return [row(label, totals), ...r.capacityProviders.map((p) => row('', `  ${shortArn(p.arn)}: ${counts(p.runningInstanceCount, p.drainingInstanceCount, p.withoutDaemonInstanceCount)}`))];
}

const counts = (running: number, draining: number, without: number) => `${running} running, ${draining} draining${without > 0 ? `, ${without} without the daemon` : ''}`;

function alarms(d: DaemonDeployment): string {
  if (d.alarms.alarmNames.length === 0) return d.alarms.status;
  const triggered = d.alarms.triggeredAlarmNames.length > 0 ? `; in ALARM: ${d.alarms.triggeredAlarmNames.join(', ')}` : '';
  return `${d.alarms.status}: ${d.alarms.alarmNames.join(', ')}${triggered}`;
}
