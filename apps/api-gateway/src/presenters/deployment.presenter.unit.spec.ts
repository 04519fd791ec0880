import type { DeploymentCreated, DeploymentEvent, RevisionInstanceCounts } from '@daemonfleet/contracts';
import { evolveDeployment, initialDeploymentState, type DeploymentState } from '@daemonfleet/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presentDeployment, presentDeploymentSummary } from './deployment.presenter.js';

describe('presentDeployment', () => {
  describe('a PENDING deployment', () => {
    it('shows the target and sources with the counts given, and no rollout fields yet', () => {
      const presented = presentDeployment(deploymentAfter([created()]), liveCounts);

      expect(presented).toEqual({
        daemonDeploymentArn: DEPLOYMENT_ARN,
        clusterArn: CLUSTER_ARN,
        status: 'PENDING',
        createdAt: 1_742_040_000.123,
        targetDaemonRevision: revisionDetail(TARGET, [
          [MI_A, 0, 0, 0],
          [MI_B, 1, 0, 0],
        ]),
        sourceDaemonRevisions: [revisionDetail(OLD, [[MI_A, 2, 1, 0]])],
        alarms: { status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] },
        deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
      });
      for (const key of ['statusReason', 'circuitBreaker', 'startedAt', 'stoppedAt', 'finishedAt']) expect(presented).not.toHaveProperty(key);
    });

    it('shows alarms MONITORING when they are enabled with names', () => {
      const presented = presentDeployment(deploymentAfter([created({ alarms: { alarmNames: ['cpu-high', 'errors'], enable: true } })]), []);
      expect(presented.alarms).toEqual({ status: 'MONITORING', alarmNames: ['cpu-high', 'errors'], triggeredAlarmNames: [] });
    });

    it.each([
      ['disabled with names', { alarmNames: ['cpu-high'], enable: false }],
      ['enabled without names', { alarmNames: [], enable: true }],
    ])('shows alarms DISABLED when %s', (_what, alarms) => {
      const presented = presentDeployment(deploymentAfter([created({ alarms })]), []);
      expect(presented.alarms).toEqual({ status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] });
      expect(presented.deploymentConfiguration.alarms).toEqual(alarms);
    });
  });

  describe('an IN_PROGRESS deployment', () => {
    it('shows the counts given (draining ones too), the circuit breaker MONITORING and startedAt', () => {
      const presented = presentDeployment(deploymentAfter([created({ alarms: { alarmNames: ['cpu-high'], enable: true } }), started()]), drainingCounts);

      expect(presented).toEqual({
        daemonDeploymentArn: DEPLOYMENT_ARN,
        clusterArn: CLUSTER_ARN,
        status: 'IN_PROGRESS',
        createdAt: 1_742_040_000.123,
        startedAt: 1_742_040_002.5,
        targetDaemonRevision: revisionDetail(TARGET, [
          [MI_A, 1, 0, 0],
          [MI_B, 1, 0, 0],
        ]),
        sourceDaemonRevisions: [revisionDetail(OLD, [[MI_A, 2, 0, 2]])],
        circuitBreaker: { failureCount: 0, status: 'MONITORING', threshold: 10 },
        alarms: { status: 'MONITORING', alarmNames: ['cpu-high'], triggeredAlarmNames: [] },
        deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: ['cpu-high'], enable: true } },
      });
      for (const key of ['statusReason', 'stoppedAt', 'finishedAt']) expect(presented).not.toHaveProperty(key);
    });

    it('stays IN_PROGRESS while it bakes (decision 4)', () => {
      const presented = presentDeployment(deploymentAfter([created(), started(), { type: 'DeploymentBakeStarted', data: { bakeStartedAt: STARTED_AT, bakeEndsAt: FINISHED_AT } }]), []);
      expect(presented).toMatchObject({ status: 'IN_PROGRESS', circuitBreaker: { status: 'MONITORING' } });
    });

    it('lists as a source every other revision counted, after the declared sources, once each', () => {
      const counts = [...liveCounts, revisionCounts(STRAY, [[MI_B, 1, 0, 0]]), revisionCounts(OLD, [[MI_B, 1, 0, 0]])];
      const presented = presentDeployment(deploymentAfter([created(), started()]), counts);

      expect(presented.sourceDaemonRevisions.map((r) => r.arn)).toEqual([OLD, STRAY]);
      expect(presented.sourceDaemonRevisions[1]).toEqual(revisionDetail(STRAY, [[MI_B, 1, 0, 0]]));
    });

    it('shows a declared source that nothing counts any more with no provider and zero totals', () => {
      const presented = presentDeployment(deploymentAfter([created(), started()]), [revisionCounts(TARGET, [[MI_A, 3, 0, 0]])]);
      expect(presented.sourceDaemonRevisions).toEqual([revisionDetail(OLD, [])]);
    });
  });

  describe('a finished deployment', () => {
    it('SUCCESSFUL: its reason, the breaker and alarms MONITORING_COMPLETE, and finishedAt', () => {
      const presented = presentDeployment(deploymentAfter([created({ alarms: { alarmNames: ['cpu-high'], enable: true } }), started(), succeeded()]), finalCounts);

      expect(presented).toMatchObject({
        status: 'SUCCESSFUL',
        statusReason: 'Deployment completed successfully.',
        circuitBreaker: { failureCount: 0, status: 'MONITORING_COMPLETE', threshold: 10 },
        alarms: { status: 'MONITORING_COMPLETE', alarmNames: ['cpu-high'], triggeredAlarmNames: [] },
        targetDaemonRevision: revisionDetail(TARGET, [
          [MI_A, 3, 0, 0],
          [MI_B, 2, 0, 0],
        ]),
        createdAt: 1_742_040_000.123,
        startedAt: 1_742_040_002.5,
        finishedAt: 1_742_040_060.001,
      });
      expect(presented).not.toHaveProperty('stoppedAt');
    });

    it('STOPPED by a newer deployment: its reason, startedAt and stoppedAt, monitoring complete, no finishedAt', () => {
      const presented = presentDeployment(deploymentAfter([created(), started(), stopped()]), drainingCounts);

      expect(presented).toMatchObject({
        status: 'STOPPED',
        statusReason: STOP_REASON,
        circuitBreaker: { failureCount: 0, status: 'MONITORING_COMPLETE', threshold: 10 },
        startedAt: 1_742_040_002.5,
        stoppedAt: 1_742_040_060.001,
      });
      expect(presented).not.toHaveProperty('finishedAt');
    });

    it('STOPPED while PENDING: it never started, so no startedAt and no circuit breaker', () => {
      const presented = presentDeployment(deploymentAfter([created(), stopped()]), []);

      expect(presented).toMatchObject({ status: 'STOPPED', statusReason: STOP_REASON, createdAt: 1_742_040_000.123, stoppedAt: 1_742_040_060.001 });
      for (const key of ['startedAt', 'circuitBreaker', 'finishedAt']) expect(presented).not.toHaveProperty(key);
      expect(presented.alarms.status).toBe('DISABLED');
    });
  });

  describe('a deployment its guards stopped (spec 3.5–3.7)', () => {
    it('STOP_REQUESTED: the breaker TRIGGERED with its count, the reason, stoppedAt, no rollback yet', () => {
      const presented = presentDeployment(deploymentAfter([created(), started(), breakerFailures(12), breakerStop()]), drainingCounts);

      expect(presented).toMatchObject({
        status: 'STOP_REQUESTED',
        statusReason: BREAKER_REASON,
        circuitBreaker: { failureCount: 12, status: 'TRIGGERED', threshold: 10 },
        stoppedAt: 1_742_040_030,
      });
      for (const key of ['rollback', 'finishedAt']) expect(presented).not.toHaveProperty(key);
    });

    it('ROLLBACK_IN_PROGRESS: the rollback object in epoch seconds, and a reason that says where it goes', () => {
      const presented = presentDeployment(deploymentAfter([created(), started(), breakerFailures(12), breakerStop(), rollbackStarted()]), drainingCounts);

      expect(presented).toMatchObject({
        status: 'ROLLBACK_IN_PROGRESS',
        statusReason: `${BREAKER_REASON} Rolling back to revision ${OLD}.`,
        circuitBreaker: { failureCount: 12, status: 'TRIGGERED', threshold: 10 },
        startedAt: 1_742_040_002.5,
        stoppedAt: 1_742_040_030,
        rollback: { reason: ROLLBACK_REASON, startedAt: 1_742_040_030, rollbackTargetDaemonRevisionArn: OLD, rollbackCapacityProviders: [MI_A, MI_B] },
      });
      expect(presented).not.toHaveProperty('finishedAt');
      expect(presented.sourceDaemonRevisions.map((r) => r.arn)).toEqual([OLD]);
    });

    it.each([
      ['ROLLBACK_SUCCESSFUL', 'DeploymentRolledBack', 'back on it'],
      ['ROLLBACK_FAILED', 'DeploymentRollbackFailed', 'failed too'],
    ] as const)('%s: finishedAt and the reason it ended with, the rollback kept', (status, type, statusReason) => {
      const ended = { type, data: { finishedAt: FINISHED_AT, statusReason, finalCounts } } as DeploymentEvent;
      const presented = presentDeployment(deploymentAfter([created(), started(), breakerFailures(12), breakerStop(), rollbackStarted(), ended]), finalCounts);

      expect(presented).toMatchObject({
        status,
        statusReason,
        circuitBreaker: { status: 'TRIGGERED' },
        stoppedAt: 1_742_040_030,
        finishedAt: 1_742_040_060.001,
        rollback: { rollbackTargetDaemonRevisionArn: OLD },
      });
    });

    it('an alarm: alarms TRIGGERED with the alarms named; the breaker monitors the rollback, then is complete', () => {
      const alarmStop: DeploymentEvent[] = [
        { type: 'DeploymentAlarmsTriggered', data: { alarmNames: ['cpu-high'], triggeredAt: STOPPED_AT } },
        { type: 'DeploymentStopRequested', data: { reason: 'ALARM', statusReason: "Alarm 'cpu-high' went into ALARM and stopped the deployment.", requestedAt: STOPPED_AT } },
        rollbackStarted(),
      ];
      const rollingBack = presentDeployment(deploymentAfter([created({ alarms: { alarmNames: ['cpu-high'], enable: true } }), started(), ...alarmStop]), []);
      expect(rollingBack).toMatchObject({
        alarms: { status: 'TRIGGERED', alarmNames: ['cpu-high'], triggeredAlarmNames: ['cpu-high'] },
        circuitBreaker: { failureCount: 0, status: 'MONITORING', threshold: 10 },
      });
      const rolledBack: DeploymentEvent = { type: 'DeploymentRolledBack', data: { finishedAt: FINISHED_AT, statusReason: 'back', finalCounts } };
      const done = presentDeployment(deploymentAfter([created({ alarms: { alarmNames: ['cpu-high'], enable: true } }), started(), ...alarmStop, rolledBack]), finalCounts);
      expect(done).toMatchObject({ alarms: { status: 'TRIGGERED' }, circuitBreaker: { status: 'MONITORING_COMPLETE' } });
    });

    it('STOPPED with no earlier revision (decision 6): the breaker TRIGGERED, no rollback', () => {
      const noRollback: DeploymentEvent = { type: 'DeploymentStopped', data: { stoppedAt: STOPPED_AT, reason: 'CIRCUIT_BREAKER', statusReason: 'nothing to roll back to', finalCounts } };
      const presented = presentDeployment(deploymentAfter([created(), started(), breakerFailures(10), breakerStop(), noRollback]), finalCounts);

      expect(presented).toMatchObject({ status: 'STOPPED', statusReason: 'nothing to roll back to', circuitBreaker: { failureCount: 10, status: 'TRIGGERED' }, stoppedAt: 1_742_040_030 });
      for (const key of ['rollback', 'finishedAt']) expect(presented).not.toHaveProperty(key);
    });
  });

  it('leaves the target out for a deployment without one (a DeleteDaemon deployment, decision 7)', () => {
    const presented = presentDeployment(deploymentAfter([created({ targetRevision: null })]), [revisionCounts(OLD, [[MI_A, 2, 0, 0]])]);
    expect(presented).not.toHaveProperty('targetDaemonRevision');
    expect(presented.sourceDaemonRevisions).toEqual([revisionDetail(OLD, [[MI_A, 2, 0, 0]])]);
  });

  it('totals each revision’s counts over its providers, and shows every count given exactly once', () => {
    fc.assert(
      fc.property(arbitraryCounts, (counts) => {
        const presented = presentDeployment(deploymentAfter([created(), started()]), counts);
        const details = [presented.targetDaemonRevision!, ...presented.sourceDaemonRevisions];
        for (const detail of details) {
          expect(detail.totalRunningInstanceCount).toBe(sum(detail.capacityProviders.map((c) => c.runningInstanceCount)));
          expect(detail.totalWithoutDaemonInstanceCount).toBe(sum(detail.capacityProviders.map((c) => c.withoutDaemonInstanceCount)));
          expect(detail.totalDrainingInstanceCount).toBe(sum(detail.capacityProviders.map((c) => c.drainingInstanceCount)));
        }
        const given = counts.flatMap((c) => c.capacityProviders);
        expect(sum(details.map((d) => d.totalRunningInstanceCount))).toBe(sum(given.map((c) => c.running)));
        expect(sum(details.map((d) => d.totalWithoutDaemonInstanceCount))).toBe(sum(given.map((c) => c.withoutDaemon)));
        expect(new Set(details.map((d) => d.arn)).size).toBe(details.length);
      }),
    );
  });
});

describe('presentDeploymentSummary', () => {
  it('keeps the summary fields of ListDaemonDeployments', () => {
    expect(presentDeploymentSummary(deploymentAfter([created(), started(), succeeded()]))).toEqual({
      daemonDeploymentArn: DEPLOYMENT_ARN,
      daemonArn: DAEMON_ARN,
      clusterArn: CLUSTER_ARN,
      status: 'SUCCESSFUL',
      statusReason: 'Deployment completed successfully.',
      targetDaemonRevisionArn: TARGET,
      createdAt: 1_742_040_000.123,
      startedAt: 1_742_040_002.5,
      finishedAt: 1_742_040_060.001,
    });
  });

  it('has no start, finish or reason while PENDING', () => {
    const summary = presentDeploymentSummary(deploymentAfter([created()]));
    expect(summary).toEqual({ daemonDeploymentArn: DEPLOYMENT_ARN, daemonArn: DAEMON_ARN, clusterArn: CLUSTER_ARN, status: 'PENDING', targetDaemonRevisionArn: TARGET, createdAt: 1_742_040_000.123 });
  });

  it('carries both the stop and the end of a rolled-back one', () => {
    const rolledBack: DeploymentEvent = { type: 'DeploymentRolledBack', data: { finishedAt: FINISHED_AT, statusReason: 'back', finalCounts } };
    const summary = presentDeploymentSummary(deploymentAfter([created(), started(), breakerFailures(12), breakerStop(), rollbackStarted(), rolledBack]));
    expect(summary).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'back', stoppedAt: 1_742_040_030, finishedAt: 1_742_040_060.001 });
  });

  it('carries the stop of a STOPPED one, and no target for a delete deployment', () => {
    const summary = presentDeploymentSummary(deploymentAfter([created({ targetRevision: null }), started(), stopped()]));
    expect(summary).toMatchObject({ status: 'STOPPED', statusReason: STOP_REASON, stoppedAt: 1_742_040_060.001 });
    expect(summary).not.toHaveProperty('targetDaemonRevisionArn');
  });
});

// Fixtures last, so the scenarios read first. Fixed ids and instants; states are only ever folded from events.

const ARN = 'arn:aws:ecs:us-east-1:123456789012';
const CLUSTER_ARN = `${ARN}:cluster/prod`;
const DAEMON_ARN = `${ARN}:daemon/prod/monitor`;
const DEPLOYMENT_ID = 'aB1cD2eF3gH4iJ5k';
const DEPLOYMENT_ARN = `${ARN}:daemon-deployment/prod/monitor/${DEPLOYMENT_ID}`;
const TARGET = `${ARN}:daemon-revision/prod/monitor/2222222222222222222`;
const OLD = `${ARN}:daemon-revision/prod/monitor/1111111111111111111`;
const STRAY = `${ARN}:daemon-revision/prod/monitor/3333333333333333333`;
const MI_A = `${ARN}:capacity-provider/mi-a`;
const MI_B = `${ARN}:capacity-provider/mi-b`;
const MI_C = `${ARN}:capacity-provider/mi-c`;
const CREATED_AT = 1_742_040_000_123;
const STARTED_AT = 1_742_040_002_500;
const FINISHED_AT = 1_742_040_060_001;
const STOPPED_AT = 1_742_040_030_000;
const STOP_REASON = 'Stopped: a newer deployment replaced it.';
const BREAKER_REASON = 'The circuit breaker stopped the deployment: 12 daemon task starts of the target revision failed (threshold 10).';
const ROLLBACK_REASON = 'The circuit breaker initiated the rollback: 12 daemon task starts of the target revision failed (threshold 10).';

type Known = Exclude<DeploymentState, { status: 'NONE' }>;
type Row = readonly [provider: string, running: number, withoutDaemon: number, draining: number];

function deploymentAfter(events: readonly DeploymentEvent[]): Known {
  const state = events.reduce(evolveDeployment, initialDeploymentState());
  if (state.status === 'NONE') throw new Error('no deployment was created');
  return state;
}

function created(overrides: Partial<Pick<DeploymentCreated['data'], 'targetRevision'>> & { alarms?: { alarmNames: string[]; enable: boolean } } = {}): DeploymentEvent {
  return {
    type: 'DeploymentCreated',
    data: {
      deploymentId: DEPLOYMENT_ID,
      daemonDeploymentArn: DEPLOYMENT_ARN,
      daemonArn: DAEMON_ARN,
      clusterArn: CLUSTER_ARN,
      targetRevision:
        overrides.targetRevision === undefined
          ? { arn: TARGET, daemonTaskDefinitionArn: `${ARN}:daemon-task-definition/agent:2`, capacityProviderArns: [MI_A, MI_B], critical: true }
          : overrides.targetRevision,
      sourceRevisionArns: [OLD],
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: overrides.alarms ?? { alarmNames: [], enable: false } },
      createdAt: CREATED_AT,
    },
  };
}

function started(): DeploymentEvent {
  return {
    type: 'DeploymentStarted',
    data: {
      startedAt: STARTED_AT,
      instancesInScope: 4,
      batchSize: 1,
      circuitBreakerThreshold: 10,
      monitoredAlarmNames: ['cpu-high'],
      alarmsInAlarmAtStart: [],
      timesInAlarmAtStart: {},
      revisionCounts: liveCounts,
    },
  };
}

const breakerFailures = (failureCount: number): DeploymentEvent => ({ type: 'CircuitBreakerFailuresRecorded', data: { failureCount, recordedAt: STOPPED_AT } });
const breakerStop = (): DeploymentEvent => ({ type: 'DeploymentStopRequested', data: { reason: 'CIRCUIT_BREAKER', statusReason: BREAKER_REASON, requestedAt: STOPPED_AT } });
const rollbackStarted = (): DeploymentEvent => ({
  type: 'DeploymentRollbackStarted',
  data: {
    rollback: { reason: ROLLBACK_REASON, startedAt: STOPPED_AT, rollbackTargetDaemonRevisionArn: OLD, rollbackCapacityProviders: [MI_A, MI_B] },
    rollbackTarget: { arn: OLD, daemonTaskDefinitionArn: `${ARN}:daemon-task-definition/agent:1`, capacityProviderArns: [MI_A], critical: true },
    batchSize: 1,
  },
});
const succeeded = (): DeploymentEvent => ({ type: 'DeploymentSucceeded', data: { finishedAt: FINISHED_AT, finalCounts } });
const stopped = (): DeploymentEvent => ({ type: 'DeploymentStopped', data: { stoppedAt: FINISHED_AT, reason: 'SUPERSEDED', statusReason: STOP_REASON, finalCounts: drainingCounts } });

const revisionCounts = (revisionArn: string, rows: readonly Row[]): RevisionInstanceCounts => ({
  revisionArn,
  capacityProviders: rows.map(([capacityProviderArn, running, withoutDaemon, draining]) => ({ capacityProviderArn, running, withoutDaemon, draining })),
});

/** As the domain's deploymentCounts gives them: the target first with each of its providers, then what else runs. */
const liveCounts = [
  revisionCounts(TARGET, [
    [MI_A, 0, 0, 0],
    [MI_B, 1, 0, 0],
  ]),
  revisionCounts(OLD, [[MI_A, 2, 1, 0]]),
];
const drainingCounts = [
  revisionCounts(TARGET, [
    [MI_A, 1, 0, 0],
    [MI_B, 1, 0, 0],
  ]),
  revisionCounts(OLD, [[MI_A, 2, 0, 2]]),
];
const finalCounts = [
  revisionCounts(TARGET, [
    [MI_A, 3, 0, 0],
    [MI_B, 2, 0, 0],
  ]),
];

/** The shape of one revision in a DaemonDeployment, from [provider, running, withoutDaemon, draining] rows. */
function revisionDetail(arn: string, rows: readonly Row[]) {
  return {
    arn,
    capacityProviders: rows.map(([providerArn, running, withoutDaemon, draining]) => ({
      arn: providerArn,
      runningInstanceCount: running,
      withoutDaemonInstanceCount: withoutDaemon,
      drainingInstanceCount: draining,
    })),
    totalRunningInstanceCount: sum(rows.map((r) => r[1])),
    totalWithoutDaemonInstanceCount: sum(rows.map((r) => r[2])),
    totalDrainingInstanceCount: sum(rows.map((r) => r[3])),
  };
}

const sum = (numbers: readonly number[]) => numbers.reduce((total, n) => total + n, 0);

/** Counts of any revisions over any providers, each revision once (as daemonRevisionCounts gives them). */
const arbitraryCounts = fc
  .uniqueArray(fc.constantFrom(TARGET, OLD, STRAY), { maxLength: 3 })
  .chain((revisions) =>
    fc.tuple(
      ...revisions.map((arn) =>
        fc
          .uniqueArray(fc.tuple(fc.constantFrom(MI_A, MI_B, MI_C), fc.nat(50), fc.nat(50), fc.nat(50)), { selector: (row) => row[0], maxLength: 3 })
          .map((rows) => revisionCounts(arn, rows)),
      ),
    ),
  );
