import type { DaemonDeployment, DeploymentProgress, RevisionCounts, TimelineEvent } from '../http/gateway-api.js';

// Fixed ids and times: no randomness in fixtures.
const ARN = 'arn:aws:ecs:us-east-1:000000000000';
export const TARGET = `${ARN}:daemon-revision/prod/monitor/222`;
export const SOURCE = `${ARN}:daemon-revision/prod/monitor/111`;
export const PROVIDER = `${ARN}:capacity-provider/prod-mi`;
/** 2026-01-02T03:04:05.678Z */
export const AT = 1767323045.678;

export const revision = (arn: string, running: number, draining: number): RevisionCounts => ({
  arn,
  capacityProviders: [{ arn: PROVIDER, runningInstanceCount: running, withoutDaemonInstanceCount: 0, drainingInstanceCount: draining }],
  totalRunningInstanceCount: running,
  totalWithoutDaemonInstanceCount: 0,
  totalDrainingInstanceCount: draining,
});

export const deployment = (overrides: Partial<DaemonDeployment> = {}): DaemonDeployment => ({
  daemonDeploymentArn: `${ARN}:daemon-deployment/prod/monitor/aB1cD2eF3gH4iJ5k`,
  clusterArn: `${ARN}:cluster/prod`,
  status: 'IN_PROGRESS',
  createdAt: AT,
  startedAt: AT,
  targetDaemonRevision: revision(TARGET, 2, 0),
  sourceDaemonRevisions: [revision(SOURCE, 4, 2)],
  circuitBreaker: { failureCount: 3, status: 'MONITORING', threshold: 10 },
  alarms: { status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] },
  deploymentConfiguration: { drainPercent: 50, bakeTimeInMinutes: 0 },
  ...overrides,
});

export const progress = (overrides: Partial<DeploymentProgress> = {}): DeploymentProgress => ({
  status: 'IN_PROGRESS',
  phase: 'rolling out',
  towardsRevisionArn: TARGET,
  instancesInScope: 6,
  instancesOnTarget: 2,
  batchSize: 2,
  batchesRequested: 2,
  batchesDone: 1,
  batchesPlanned: 3,
  failureCount: 3,
  failureThreshold: 10,
  bakeEndsAt: null,
  ...overrides,
});

export const timelineEvent = (overrides: Partial<TimelineEvent> = {}): TimelineEvent => ({
  version: 7,
  position: 1234,
  type: 'InstanceDrainsRequested',
  occurredAt: AT,
  schemaVersion: 1,
  data: {},
  summary: 'Batch 2 of 3: drain 2 instances and replace each with one running revision 222 (the previous batch is replaced): i-1, i-2.',
  daemonDeployment: deployment(),
  progress: progress(),
  ...overrides,
});
