import { Streams, type AlarmEvent, type AlarmState, type CapacityProviderEvent, type DeploymentEvent, type PlannedDaemonTask } from '@daemonfleet/contracts';
import { createMemoryEventStore, type RecordedEvent } from '@daemonfleet/event-store';
import { ServiceMetrics } from '@daemonfleet/service-runtime';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlarmProjection } from './alarms/alarm-projection.js';
import { ActiveDeployments } from './deployments/active-deployments.js';
import { DeploymentStatusMetrics } from './deployments/deployment-status.metrics.js';
import { PreviousRevisions } from './deployments/previous-revisions.js';
import { FleetProjection } from './fleet/fleet-projection.js';
import { OrchestratorViews, type Applied } from './orchestrator-views.js';
import { TaskDefinitionUsage } from './task-definitions/task-definition-usage.js';

/**
 * Issue 7 (e) for the views every reconcile observes: whatever the deliveries (each event once or many times, an
 * older event after newer ones, as a subscription delivers at least once after a lost ack or a checkpoint that went
 * back), the views end as the log delivered once says, and only an event new to them prompts a reconcile (the
 * subscription reconciles on `fresh` only). The fleet projection is not idempotent by itself (a failed start delivered
 * twice would count twice toward the circuit breaker; an alarm's moves into ALARM likewise): the views' position
 * guard is what keeps duplicates out.
 */
describe('OrchestratorViews, under at-least-once delivery', () => {
  it('end as the log delivered once leaves them, and tell a reconcile of each event once, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 4 }), { maxLength: 60 }), (rewinds) => {
        const once = newViews();
        const expectedTriggers = log.map((event) => once.apply(event));

        const redelivered = newViews();
        const triggers: [number, Applied][] = [];
        for (const event of atLeastOnce(log, rewinds)) {
          const applied = redelivered.apply(event);
          if (applied.fresh) triggers.push([event.globalPosition, applied]);
        }

        expect(triggers.map(([position]) => position)).toEqual(log.map((event) => event.globalPosition));
        expect(triggers.map(([, applied]) => applied)).toEqual(expectedTriggers);
        expect(observed(redelivered)).toEqual(observed(once));
      }),
      { numRuns: 300 },
    );
  });

  it('would count a failed start twice without its position guard (the projection alone is not idempotent)', () => {
    const projection = new FleetProjection();
    const upToFirstFailure = log.slice(0, log.findIndex((event) => event.type === 'DaemonTaskFailedToStart') + 1);
    for (const event of upToFirstFailure) projection.apply(event);
    projection.apply(upToFirstFailure.at(-1)!);
    expect(projection.failedStartsOf(deploymentId)).toEqual({ [targetRevision]: 2 });
    const views = viewsAfter(upToFirstFailure);
    expect(views.apply(upToFirstFailure.at(-1)!)).toEqual({ fresh: false });
    expect(observed(views).failedStarts).toEqual({ [targetRevision]: 1 });
  });
});

// Fixtures and helpers last.

const scope = { accountId: '123456789012', region: 'us-east-1' };
const prefix = `arn:aws:ecs:${scope.region}:${scope.accountId}`;
const monitor = `${prefix}:daemon/prod/monitor`;
const providerArn = `${prefix}:capacity-provider/mi`;
const providerStream = Streams.capacityProvider(scope, 'mi');
const deploymentId = 'aB1cD2eF3gH4iJ5k';
const deploymentStream = Streams.daemonDeployment(deploymentId);
const alarmStream = Streams.alarm(scope, 'cpu-high');
const sourceRevision = `${prefix}:daemon-revision/prod/monitor/1000000000000000001`;
const targetRevision = `${prefix}:daemon-revision/prod/monitor/2000000000000000002`;
const task = (revision: string): PlannedDaemonTask => ({ daemonArn: monitor, daemonRevisionArn: revision, daemonTaskDefinitionArn: `${prefix}:daemon-task-definition/agent:1`, critical: true });

/** A deployment's first batch meeting a replacement whose daemon fails to start twice, while its alarm flaps. */
const log: RecordedEvent[] = recorded([
  [providerStream, { type: 'CapacityProviderCreated', data: { capacityProviderArn: providerArn, name: 'mi', type: 'MANAGED_INSTANCES', clusterName: 'prod', managedInstancesProvider: {}, autoScalingGroupProvider: null, tags: [], createdAt: 0 } }],
  [providerStream, provisioned('i-1', sourceRevision, null)],
  [providerStream, { type: 'InstanceRegistered', data: { instanceId: 'i-1', registeredAt: 1 } }],
  [providerStream, launched('i-1', 't-1', sourceRevision)],
  [providerStream, { type: 'DaemonTaskStarted', data: { instanceId: 'i-1', taskArn: 't-1', startedAt: 2 } }],
  [providerStream, { type: 'InstanceActivated', data: { instanceId: 'i-1', activatedAt: 2 } }],
  [alarmStream, alarmPut()],
  [deploymentStream, deploymentCreated()],
  [deploymentStream, deploymentStarted()],
  [alarmStream, alarmChanged('INSUFFICIENT_DATA', 'ALARM')],
  [providerStream, provisioned('i-2', targetRevision, 'i-1')],
  [providerStream, { type: 'InstanceRegistered', data: { instanceId: 'i-2', registeredAt: 3 } }],
  [providerStream, launched('i-2', 't-2', targetRevision)],
  [providerStream, failed('i-2', 't-2', 1)],
  [alarmStream, alarmChanged('ALARM', 'OK')],
  [providerStream, launched('i-2', 't-3', targetRevision)],
  [providerStream, failed('i-2', 't-3', 2)],
  [alarmStream, alarmChanged('OK', 'ALARM')],
]);

function recorded(entries: [string, { type: string; data: unknown }][]): RecordedEvent[] {
  const versions = new Map<string, number>();
  return entries.map(([streamId, event], index) => {
    const streamVersion = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, streamVersion);
    return { ...event, streamId, streamVersion, globalPosition: (index + 1) * 10, metadata: { eventId: `e-${index + 1}`, occurredAt: '', schemaVersion: 1 } };
  });
}

/**
 * What a subscription may deliver: the log in order, where before each event the last `rewinds[i]` events already
 * delivered may come again (a redelivery after a lost ack, a checkpoint that went back).
 */
function atLeastOnce(events: readonly RecordedEvent[], rewinds: readonly number[]): RecordedEvent[] {
  const delivered: RecordedEvent[] = [];
  for (let next = 0; next < events.length; next++) {
    const back = Math.min(rewinds[next] ?? 0, next);
    delivered.push(...events.slice(next - back, next), events[next]);
  }
  return delivered;
}

function newViews(): OrchestratorViews {
  const fleet = new FleetProjection();
  return new OrchestratorViews(
    createMemoryEventStore(),
    fleet,
    new ActiveDeployments(),
    new TaskDefinitionUsage(fleet),
    new AlarmProjection(),
    new PreviousRevisions(),
    new DeploymentStatusMetrics(new ServiceMetrics({ service: 'test' })),
  );
}

function viewsAfter(events: readonly RecordedEvent[]): OrchestratorViews {
  const views = newViews();
  for (const event of events) views.apply(event);
  return views;
}

/** What a reconcile observes of the views. */
function observed(views: OrchestratorViews) {
  return {
    fleets: views.fleet.fleetsFor(monitor, [providerArn]),
    revisionsOnInstances: views.fleet.revisionsOnInstances(monitor).sort(),
    failedStarts: views.fleet.failedStartsOf(deploymentId),
    alarms: views.alarms.view(scope, ['cpu-high']),
    deployments: views.deployments.entries(),
    concerning: views.deployments.concerning(providerArn, new Set([monitor])),
    watching: views.deployments.watching(alarmStream),
  };
}

function provisioned(instanceId: string, revision: string, replacesInstanceId: string | null): CapacityProviderEvent {
  return {
    type: 'InstanceProvisioningStarted',
    data: {
      instanceId,
      containerInstanceArn: `${prefix}:container-instance/prod/${instanceId}`,
      capacityProviderArn: providerArn,
      clusterArn: `${prefix}:cluster/prod`,
      reason: replacesInstanceId ? 'REPLACEMENT' : 'EMULATOR_REQUEST',
      replacesInstanceId,
      deploymentId: replacesInstanceId ? deploymentId : null,
      daemons: [task(revision)],
      startedAt: 0,
      registersAt: 0,
    },
  };
}

function launched(instanceId: string, taskArn: string, revision: string): CapacityProviderEvent {
  return { type: 'DaemonTaskLaunched', data: { instanceId, taskArn, daemon: task(revision), launchedAt: 0, runsAt: 0 } };
}

function failed(instanceId: string, taskArn: string, attempt: number): CapacityProviderEvent {
  return { type: 'DaemonTaskFailedToStart', data: { instanceId, taskArn, daemon: task(targetRevision), failureType: 'TASK_FAILED_TO_RUN', reason: 'exited', attempt, failedAt: 0, retryAt: 1 } };
}

function deploymentCreated(): DeploymentEvent {
  return {
    type: 'DeploymentCreated',
    data: {
      deploymentId,
      daemonDeploymentArn: `${prefix}:daemon-deployment/prod/monitor/${deploymentId}`,
      daemonArn: monitor,
      clusterArn: `${prefix}:cluster/prod`,
      targetRevision: { arn: targetRevision, daemonTaskDefinitionArn: `${prefix}:daemon-task-definition/agent:1`, capacityProviderArns: [providerArn], critical: true },
      sourceRevisionArns: [sourceRevision],
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: ['cpu-high'], enable: true } },
      createdAt: 0,
    },
  };
}

function deploymentStarted(): DeploymentEvent {
  return {
    type: 'DeploymentStarted',
    data: { startedAt: 0, instancesInScope: 1, batchSize: 1, circuitBreakerThreshold: 10, monitoredAlarmNames: ['cpu-high'], alarmsInAlarmAtStart: [], timesInAlarmAtStart: {}, revisionCounts: [] },
  };
}

function alarmChanged(previousState: AlarmState, state: AlarmState): AlarmEvent {
  return { type: 'AlarmStateChanged', data: { alarmName: 'cpu-high', alarmArn: `arn:aws:cloudwatch:${scope.region}:${scope.accountId}:alarm:cpu-high`, previousState, state, reason: 'test', cause: 'SET_ALARM_STATE', changedAt: 0 } };
}

function alarmPut(): AlarmEvent {
  return {
    type: 'MetricAlarmPut',
    data: {
      alarm: {
        alarmName: 'cpu-high',
        alarmArn: `arn:aws:cloudwatch:${scope.region}:${scope.accountId}:alarm:cpu-high`,
        namespace: 'AWS/ECS',
        metricName: 'CPUUtilization',
        dimensions: [],
        statistic: 'Average',
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 80,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'missing',
        actionsEnabled: true,
        tags: [],
      },
      putAt: 0,
    },
  };
}
