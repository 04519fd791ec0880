import { Streams, type DeploymentEvent } from '@daemonfleet/contracts';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { describe, expect, it } from 'vitest';
import { ActiveDeployments } from './active-deployments.js';

describe('ActiveDeployments', () => {
  it('routes a fleet change to the unfinished deployments of the daemons on the instance, or observing the provider', () => {
    const active = new ActiveDeployments();
    apply(active, 'aaaaaaaaaaaaaaaa', created('aaaaaaaaaaaaaaaa', monitor, ['mi']));
    apply(active, 'bbbbbbbbbbbbbbbb', created('bbbbbbbbbbbbbbbb', logger, ['mi2']));
    expect(active.concerning(arnOf('mi'), new Set())).toEqual(['aaaaaaaaaaaaaaaa']);
    expect(active.concerning(arnOf('other'), new Set([logger]))).toEqual(['bbbbbbbbbbbbbbbb']);
    expect(active.concerning(arnOf('other'), new Set())).toEqual([]);
    expect(active.unfinishedOf(monitor)).toEqual(['aaaaaaaaaaaaaaaa']);
  });

  it('drops a deployment once it is finished', () => {
    const active = new ActiveDeployments();
    apply(active, 'aaaaaaaaaaaaaaaa', created('aaaaaaaaaaaaaaaa', monitor, ['mi']));
    apply(active, 'aaaaaaaaaaaaaaaa', { type: 'DeploymentStopped', data: { stoppedAt: 0, reason: 'SUPERSEDED', statusReason: '', finalCounts: [] } });
    expect(active.entries()).toEqual([]);
    expect(active.concerning(arnOf('mi'), new Set([monitor]))).toEqual([]);
  });

  it('keeps a deployment that stopped moving forward until its rollback ends', () => {
    const active = new ActiveDeployments();
    apply(active, 'aaaaaaaaaaaaaaaa', created('aaaaaaaaaaaaaaaa', monitor, ['mi']));
    for (const event of [started(['cpu-high']), stopRequested(), rollbackStarted()]) apply(active, 'aaaaaaaaaaaaaaaa', event);
    expect(active.unfinishedOf(monitor)).toEqual(['aaaaaaaaaaaaaaaa']);
    expect(active.concerning(arnOf('old'), new Set())).toEqual(['aaaaaaaaaaaaaaaa']);
    apply(active, 'aaaaaaaaaaaaaaaa', { type: 'DeploymentRolledBack', data: { finishedAt: 0, statusReason: 'back', finalCounts: [] } });
    expect(active.entries()).toEqual([]);
  });

  it('routes an alarm change to the deployments watching it, in their account and region, while they move forward', () => {
    const active = new ActiveDeployments();
    apply(active, 'aaaaaaaaaaaaaaaa', created('aaaaaaaaaaaaaaaa', monitor, ['mi'], ['cpu-high']));
    apply(active, 'bbbbbbbbbbbbbbbb', created('bbbbbbbbbbbbbbbb', logger, ['mi']));
    const cpuHigh = Streams.alarm({ accountId: '123456789012', region: 'us-east-1' }, 'cpu-high');
    expect(active.watching(cpuHigh)).toEqual(['aaaaaaaaaaaaaaaa']);
    expect(active.watching(Streams.alarm({ accountId: '210987654321', region: 'us-east-1' }, 'cpu-high'))).toEqual([]);
    apply(active, 'aaaaaaaaaaaaaaaa', started(['cpu-high']));
    expect(active.watching(cpuHigh)).toEqual(['aaaaaaaaaaaaaaaa']);
    apply(active, 'aaaaaaaaaaaaaaaa', stopRequested());
    expect(active.watching(cpuHigh)).toEqual([]);
  });

  it('remembers the correlation id of the request that created each deployment', () => {
    const active = new ActiveDeployments();
    apply(active, 'aaaaaaaaaaaaaaaa', created('aaaaaaaaaaaaaaaa', monitor, ['mi']), 'request-1');
    expect(active.entries()).toEqual([['aaaaaaaaaaaaaaaa', { correlationId: 'request-1' }]]);
    expect(active.correlationIdOf('aaaaaaaaaaaaaaaa')).toBe('request-1');
  });
});

// Fixtures last.
const monitor = 'arn:aws:ecs:us-east-1:123456789012:daemon/prod/monitor';
const logger = 'arn:aws:ecs:us-east-1:123456789012:daemon/prod/logger';
const arnOf = (name: string) => `arn:aws:ecs:us-east-1:123456789012:capacity-provider/${name}`;
let position = 0;

function apply(active: ActiveDeployments, deploymentId: string, event: DeploymentEvent, correlationId?: string): void {
  active.apply({
    ...event,
    streamId: `daemonDeployment-${deploymentId}`,
    streamVersion: 0,
    globalPosition: ++position,
    metadata: { eventId: String(position), occurredAt: '', correlationId, schemaVersion: 1 },
  } as RecordedEvent);
}

function started(monitoredAlarmNames: string[] = []): DeploymentEvent {
  return {
    type: 'DeploymentStarted',
    data: { startedAt: 0, instancesInScope: 1, batchSize: 1, circuitBreakerThreshold: 10, monitoredAlarmNames, alarmsInAlarmAtStart: [], timesInAlarmAtStart: {}, revisionCounts: [] },
  };
}

const stopRequested = (): DeploymentEvent => ({ type: 'DeploymentStopRequested', data: { reason: 'ALARM', statusReason: 'alarm', requestedAt: 0 } });

const rollbackStarted = (): DeploymentEvent => ({
  type: 'DeploymentRollbackStarted',
  data: {
    rollback: { reason: 'alarm', startedAt: 0, rollbackTargetDaemonRevisionArn: 'old-rev', rollbackCapacityProviders: [arnOf('old')] },
    rollbackTarget: { arn: 'old-rev', daemonTaskDefinitionArn: 'td-old', capacityProviderArns: [arnOf('old')], critical: true },
    batchSize: 1,
  },
});

function created(deploymentId: string, daemonArn: string, providers: string[], alarmNames: string[] = []): DeploymentEvent {
  return {
    type: 'DeploymentCreated',
    data: {
      deploymentId,
      daemonDeploymentArn: `arn:deployment/${deploymentId}`,
      daemonArn,
      clusterArn: 'arn:cluster/prod',
      targetRevision: { arn: 'rev', daemonTaskDefinitionArn: 'td', capacityProviderArns: providers.map(arnOf), critical: true },
      sourceRevisionArns: [],
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames, enable: alarmNames.length > 0 } },
      createdAt: 0,
    },
  };
}
