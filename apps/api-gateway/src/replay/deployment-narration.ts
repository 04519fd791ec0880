import type { DeploymentEvent, RevisionInstanceCounts } from '@daemonfleet/contracts';
import { assertNever, recordedDeploymentCounts, type DeploymentState } from '@daemonfleet/domain';
import { lastArnPart } from '../presenters/arn-parts.js';

type Known = Exclude<DeploymentState, { status: 'NONE' }>;

/**
 * One line a person reads in a deployment's timeline: what the event says happened and why, in words, from the
 * event and the deployment's states around it (`before` and `after` come from folding the stream). Every event
 * type has its sentence: a new type does not compile until it is given one.
 */
export function narrateDeploymentEvent(event: DeploymentEvent, before: DeploymentState, after: DeploymentState): string {
  switch (event.type) {
    case 'DeploymentCreated': {
      const { targetRevision, deploymentConfiguration: config, sourceRevisionArns } = event.data;
      if (!targetRevision) return `Created by DeleteDaemon: drain the daemon off every instance that runs it, ${config.drainPercent}% at a time.`;
      const alarms = config.alarms.enable && config.alarms.alarmNames.length > 0 ? `alarms ${names(config.alarms.alarmNames)}` : 'no alarms';
      const replacing = sourceRevisionArns.length > 0 ? `replacing ${sourceRevisionArns.map(revision).join(', ')}` : 'the daemon’s first revision';
      return (
        `Created to roll out ${revision(targetRevision.arn)} (${lastArnPart(targetRevision.daemonTaskDefinitionArn)}, ${targetRevision.critical ? 'critical' : 'non-critical'}) ` +
        `on ${targetRevision.capacityProviderArns.map(lastArnPart).join(', ')}: ${replacing}; drainPercent ${config.drainPercent}, bake ${config.bakeTimeInMinutes} min, ${alarms}.`
      );
    }
    case 'DeploymentStarted': {
      const { instancesInScope: n, batchSize, circuitBreakerThreshold, monitoredAlarmNames, alarmsInAlarmAtStart } = event.data;
      if (n === 0) return 'Started: no instance needs replacing.';
      const watching = monitoredAlarmNames.length === 0 ? '' : `; watching ${names(monitoredAlarmNames)}`;
      const ignored = alarmsInAlarmAtStart.length === 0 ? '' : ` (${names(alarmsInAlarmAtStart)} already in ALARM: ignored until it leaves ALARM)`;
      return `Started: ${count(n, 'instance')} to replace, at most ${batchSize} at a time (${batches(n, batchSize)}); the circuit breaker trips at ${circuitBreakerThreshold} failed starts${watching}${ignored}.`;
    }
    case 'DaemonTasksAdopted':
      return `Adopted ${count(event.data.instances.length, 'instance')} whose daemon task already matches ${wanted(after)} (relabelled, not replaced): ${instances(event.data.instances.map((i) => i.instanceId))}.`;
    case 'InstanceDrainsRequested': {
      const { batch, instances: requested } = event.data;
      const ids = instances(requested.map((i) => i.instanceId));
      const rollback = after.status === 'ROLLBACK_IN_PROGRESS' ? 'Rollback batch' : 'Batch';
      if (before.status !== 'NONE' && 'openBatch' in before && before.openBatch?.batch === batch) {
        const open = 'openBatch' in after ? after.openBatch : null;
        const why =
          open && 'batchSize' in after && open.instances.length <= after.batchSize
            ? 'the rest of the batch: a large batch is requested in parts'
            : `replacements that cannot run ${wanted(after)} are drained and replaced again`;
        return `${rollback} ${batch}: ${count(requested.length, 'more instance')} to drain (${why}): ${ids}.`;
      }
      const of = after.status === 'IN_PROGRESS' ? ` of ${after.instancesInScope > 0 ? Math.ceil(after.instancesInScope / after.batchSize) : 0}` : '';
      const why = batch === 1 ? 'the first batch' : 'the previous batch is replaced';
      return `${rollback} ${batch}${of}: drain ${count(requested.length, 'instance')} and replace ${requested.length === 1 ? 'it' : 'each'} with one running ${wanted(after)} (${why}): ${ids}.`;
    }
    case 'InstancesReplaced': {
      const pairs = event.data.instances.map((i) => `${i.instanceId} → ${i.replacementInstanceId}`);
      const continued = before.status !== 'NONE' && 'openBatch' in before && before.openBatch?.batch === event.data.batch ? '' : ' (continued)';
      const gone = pairs.length === 1 ? 'the drained instance is gone' : 'each drained instance is gone';
      return `Batch ${event.data.batch} done${continued}: ${gone} and its replacement runs ${wanted(after)}: ${list(pairs)}.`;
    }
    case 'DeploymentCountsObserved':
      return `Counts moved as the fleet changed: ${countChanges(before, after)}.`;
    case 'DeploymentBakeStarted': {
      const minutes = after.status === 'NONE' ? 0 : after.deploymentConfiguration.bakeTimeInMinutes;
      return `Every instance is done: baking ${minutes} min (${seconds(event.data.bakeEndsAt - event.data.bakeStartedAt)} of wall time) before success, alarms still watched.`;
    }
    case 'DeploymentSucceeded': {
      if (after.status === 'NONE' || !after.targetRevision) return 'Succeeded: the daemon runs on no instance any more, and is removed.';
      return `Succeeded: ${count(running(event.data.finalCounts, after.targetRevision.arn), 'instance')} ${running(event.data.finalCounts, after.targetRevision.arn) === 1 ? 'runs' : 'run'} ${revision(after.targetRevision.arn)}.`;
    }
    case 'CircuitBreakerFailuresRecorded': {
      const threshold = 'circuitBreaker' in after ? after.circuitBreaker.threshold : undefined;
      const earlier = 'circuitBreaker' in before ? before.circuitBreaker.failureCount : 0;
      return `Circuit breaker: ${count(event.data.failureCount, 'failed start')} of the target revision on this deployment’s replacements (+${event.data.failureCount - earlier}), tripping at ${threshold}.`;
    }
    case 'DeploymentAlarmsTriggered':
      return `${event.data.alarmNames.length === 1 ? 'Alarm' : 'Alarms'} ${names(event.data.alarmNames)} went into ALARM while watched.`;
    case 'DeploymentStopRequested':
      return `Stop requested, no further batch: ${shorten(event.data.statusReason)}`;
    case 'DeploymentRollbackStarted': {
      const { rollback, batchSize } = event.data;
      return `Rollback started towards ${revision(rollback.rollbackTargetDaemonRevisionArn)} on ${rollback.rollbackCapacityProviders.map(lastArnPart).join(', ')}, at most ${batchSize} at a time: ${shorten(rollback.reason)}`;
    }
    case 'DeploymentRolledBack':
      return `Rolled back: ${shorten(event.data.statusReason)}`;
    case 'DeploymentRollbackFailed':
      return `Rollback failed: ${shorten(event.data.statusReason)}`;
    case 'DeploymentStopped':
      return `Stopped: ${shorten(event.data.statusReason)}`;
    default:
      return assertNever(event);
  }
}

/** The revision instances are being moved to: the target, or the rollback's target once it rolls back. */
function wanted(state: DeploymentState): string {
  if (state.status === 'NONE') return 'the target revision';
  if ('rollbackTarget' in state) return revision(state.rollbackTarget.arn);
  return state.targetRevision ? revision(state.targetRevision.arn) : 'no task of the daemon';
}

/** What moved between the counts before and after, per revision: `revision x (target): running 2 → 4`. */
function countChanges(before: DeploymentState, after: DeploymentState): string {
  if (after.status === 'NONE') return 'none';
  const was = before.status === 'NONE' ? [] : recordedDeploymentCounts(before as Known);
  const now = recordedDeploymentCounts(after);
  const arns = [...new Set([...now.map((c) => c.revisionArn), ...was.map((c) => c.revisionArn)])];
  const changes = arns.flatMap((arn) => {
    const role = arn === after.targetRevision?.arn ? ' (target)' : '';
    const moved = (['running', 'draining', 'withoutDaemon'] as const).flatMap((field) => {
      const from = total(was, arn, field);
      const to = total(now, arn, field);
      return from === to ? [] : [`${field === 'withoutDaemon' ? 'without daemon' : field} ${from} → ${to}`];
    });
    return moved.length === 0 ? [] : [`${revision(arn)}${role} ${moved.join(', ')}`];
  });
  return changes.length === 0 ? 'the same totals, per provider moved' : changes.join('; ');
}

function total(counts: readonly RevisionInstanceCounts[], arn: string, field: 'running' | 'draining' | 'withoutDaemon'): number {
  return counts.filter((c) => c.revisionArn === arn).flatMap((c) => c.capacityProviders).reduce((sum, c) => sum + c[field], 0);
}

const running = (counts: readonly RevisionInstanceCounts[], arn: string) => total(counts, arn, 'running');

const revision = (arn: string) => `revision ${lastArnPart(arn)}`;

const count = (n: number, noun: string, plural = `${noun}s`) => `${n} ${n === 1 ? noun : plural}`;

const batches = (n: number, size: number) => count(Math.ceil(n / size), 'batch', 'batches');

const seconds = (ms: number) => `${Math.round(ms) / 1000} s`;

const names = (alarmNames: readonly string[]) => alarmNames.map((name) => `'${name}'`).join(', ');

/** A list a line can hold: the first few, then how many more. */
function list(items: readonly string[], shown = 4): string {
  return items.length <= shown ? items.join(', ') : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

const instances = (ids: readonly string[]) => list(ids);

/** ARNs inside a status reason, cut to their last part: a line stays readable. */
function shorten(text: string): string {
  return text.replace(/arn:aws:ecs:[^\s:]+:\d{12}:(daemon-revision|daemon-deployment)\/[^\s).,]+/g, (arn) => lastArnPart(arn));
}
