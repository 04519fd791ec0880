import type { DeploymentCreated, InstanceRecord } from '@daemonfleet/contracts';
import { deploymentDecider, fold, type DeploymentCommand, type DeploymentState } from '@daemonfleet/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presentDeployment, presentDeploymentSummary } from './deployment.presenter.js';

describe('presentDeployment', () => {
  describe('a PENDING deployment', () => {
    it('shows the target with zero counts on each of its providers, the sources, and no rollout fields yet', () => {
      const presented = presentDeployment(deploymentAfter([createDeployment()]));

      expect(presented).toEqual({
        daemonDeploymentArn: DEPLOYMENT_ARN,
        clusterArn: CLUSTER_ARN,
        status: 'PENDING',
        targetDaemonRevision: revisionDetail(TARGET, [
          [MI_A, 0, 0, 0],
          [MI_B, 0, 0, 0],
        ]),
        sourceDaemonRevisions: [revisionDetail(OLD, [])],
        alarms: { status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] },
        deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
        createdAt: 1_742_040_000.123,
      });
      for (const key of ['statusReason', 'circuitBreaker', 'startedAt', 'finishedAt']) expect(presented).not.toHaveProperty(key);
    });

    it('shows alarms MONITORING when they are enabled with names', () => {
      const presented = presentDeployment(deploymentAfter([createDeployment({ alarms: { alarmNames: ['cpu-high', 'errors'], enable: true } })]));
      expect(presented.alarms).toEqual({ status: 'MONITORING', alarmNames: ['cpu-high', 'errors'], triggeredAlarmNames: [] });
    });

    it.each([
      ['disabled with names', { alarmNames: ['cpu-high'], enable: false }],
      ['enabled without names', { alarmNames: [], enable: true }],
    ])('shows alarms DISABLED when %s', (_what, alarms) => {
      const presented = presentDeployment(deploymentAfter([createDeployment({ alarms })]));
      expect(presented.alarms).toEqual({ status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] });
      expect(presented.deploymentConfiguration.alarms).toEqual(alarms);
    });
  });

  describe('an IN_PROGRESS deployment', () => {
    it('shows the counts the deployment found when it started, the circuit breaker and startedAt', () => {
      const presented = presentDeployment(deploymentAfter([createDeployment({ alarms: { alarmNames: ['cpu-high'], enable: true } }), reconcile(STARTED_AT, mixedFleet)]));

      expect(presented).toEqual({
        daemonDeploymentArn: DEPLOYMENT_ARN,
        clusterArn: CLUSTER_ARN,
        status: 'IN_PROGRESS',
        targetDaemonRevision: revisionDetail(TARGET, [
          [MI_A, 0, 0, 0],
          [MI_B, 1, 0, 0],
        ]),
        sourceDaemonRevisions: [revisionDetail(OLD, [[MI_A, 2, 1, 0]])],
        circuitBreaker: { failureCount: 0, status: 'MONITORING', threshold: 10 },
        alarms: { status: 'MONITORING', alarmNames: ['cpu-high'], triggeredAlarmNames: [] },
        deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: ['cpu-high'], enable: true } },
        createdAt: 1_742_040_000.123,
        startedAt: 1_742_040_002.5,
      });
      for (const key of ['statusReason', 'finishedAt']) expect(presented).not.toHaveProperty(key);
    });

    it('lists as a source every other revision found on the fleet, after the declared sources, once each', () => {
      const fleet = [...mixedFleet, instance('i-9', MI_B, [[STRAY, true]])];
      const presented = presentDeployment(deploymentAfter([createDeployment(), reconcile(STARTED_AT, fleet)]));

      expect(presented.sourceDaemonRevisions.map((r) => r.arn)).toEqual([OLD, STRAY]);
      expect(presented.sourceDaemonRevisions[1]).toEqual(revisionDetail(STRAY, [[MI_B, 1, 0, 0]]));
    });

    it('shows a found revision as a source even when the deployment declared none', () => {
      const presented = presentDeployment(deploymentAfter([createDeployment({ sourceRevisionArns: [] }), reconcile(STARTED_AT, mixedFleet)]));
      expect(presented.sourceDaemonRevisions).toEqual([revisionDetail(OLD, [[MI_A, 2, 1, 0]])]);
    });
  });

  describe('a SUCCESSFUL deployment', () => {
    it('says it completed, with the breaker and the alarms MONITORING_COMPLETE, and finishedAt', () => {
      const presented = presentDeployment(
        deploymentAfter([createDeployment({ alarms: { alarmNames: ['cpu-high'], enable: true } }), reconcile(STARTED_AT, mixedFleet), reconcile(FINISHED_AT, upgradedFleet)]),
      );

      expect(presented).toMatchObject({
        status: 'SUCCESSFUL',
        statusReason: 'Deployment completed successfully.',
        circuitBreaker: { failureCount: 0, status: 'MONITORING_COMPLETE', threshold: 10 },
        alarms: { status: 'MONITORING_COMPLETE', alarmNames: ['cpu-high'], triggeredAlarmNames: [] },
        createdAt: 1_742_040_000.123,
        startedAt: 1_742_040_002.5,
        finishedAt: 1_742_040_060.001,
      });
    });

    it('shows alarms DISABLED when none were monitored', () => {
      const presented = presentDeployment(deploymentAfter([createDeployment(), reconcile(STARTED_AT, mixedFleet), reconcile(FINISHED_AT, upgradedFleet)]));
      expect(presented.alarms).toEqual({ status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] });
    });

    it('goes PENDING to SUCCESSFUL at once on providers with no instances, every count 0 (decision 5)', () => {
      const presented = presentDeployment(deploymentAfter([createDeployment(), reconcile(STARTED_AT, [])]));

      expect(presented).toMatchObject({
        status: 'SUCCESSFUL',
        statusReason: 'Deployment completed successfully.',
        targetDaemonRevision: revisionDetail(TARGET, [
          [MI_A, 0, 0, 0],
          [MI_B, 0, 0, 0],
        ]),
        sourceDaemonRevisions: [revisionDetail(OLD, [])],
        startedAt: 1_742_040_002.5,
        finishedAt: 1_742_040_002.5,
      });
    });
  });

  it('leaves the target out for a deployment without one (a DeleteDaemon deployment)', () => {
    const presented = presentDeployment(deploymentAfter([createDeployment({ targetRevision: null })]));
    expect(presented).not.toHaveProperty('targetDaemonRevision');
    expect(presented.sourceDaemonRevisions.map((r) => r.arn)).toEqual([OLD]);
  });

  it('totals each revision’s counts over its providers, and counts every task of the daemon exactly once', () => {
    fc.assert(
      fc.property(arbitraryFleet, (fleet) => {
        const presented = presentDeployment(deploymentAfter([createDeployment(), reconcile(STARTED_AT, fleet)]));
        const details = [presented.targetDaemonRevision!, ...presented.sourceDaemonRevisions];
        for (const detail of details) {
          expect(detail.totalRunningInstanceCount).toBe(sum(detail.capacityProviders.map((c) => c.runningInstanceCount)));
          expect(detail.totalWithoutDaemonInstanceCount).toBe(sum(detail.capacityProviders.map((c) => c.withoutDaemonInstanceCount)));
          expect(detail.totalDrainingInstanceCount).toBe(sum(detail.capacityProviders.map((c) => c.drainingInstanceCount)));
        }
        const ours = fleet.flatMap((i) => i.daemonTasks).filter((t) => t.daemonArn === DAEMON_ARN);
        expect(sum(details.map((d) => d.totalRunningInstanceCount))).toBe(ours.filter((t) => t.running).length);
        expect(sum(details.map((d) => d.totalWithoutDaemonInstanceCount))).toBe(ours.filter((t) => !t.running).length);
        expect(presented.targetDaemonRevision!.capacityProviders.map((c) => c.arn)).toEqual(expect.arrayContaining([MI_A, MI_B]));
        expect(new Set(details.map((d) => d.arn)).size).toBe(details.length);
      }),
    );
  });
});

describe('presentDeploymentSummary', () => {
  it('keeps the summary fields of ListDaemonDeployments', () => {
    const summary = presentDeploymentSummary(deploymentAfter([createDeployment(), reconcile(STARTED_AT, mixedFleet), reconcile(FINISHED_AT, upgradedFleet)]));
    expect(summary).toEqual({
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
    const summary = presentDeploymentSummary(deploymentAfter([createDeployment()]));
    expect(summary).toMatchObject({ status: 'PENDING', targetDaemonRevisionArn: TARGET, createdAt: 1_742_040_000.123 });
    expect(summary.startedAt).toBeUndefined();
    expect(summary.finishedAt).toBeUndefined();
    expect(summary.statusReason).toBeUndefined();
  });
});

// Fixtures last, so the scenarios read first. Fixed ids and instants.

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

type Known = Exclude<DeploymentState, { status: 'NONE' }>;

/** Decides each command against the state so far and folds its events in: the state is only ever built from events. */
function deploymentAfter(commands: readonly DeploymentCommand[]): Known {
  const state = commands.reduce((s, command) => fold(deploymentDecider, deploymentDecider.decide(command, s), s), deploymentDecider.initialState());
  if (state.status === 'NONE') throw new Error('no deployment was created');
  return state;
}

function createDeployment(
  overrides: Partial<Pick<DeploymentCreated['data'], 'targetRevision' | 'sourceRevisionArns'>> & { alarms?: { alarmNames: string[]; enable: boolean } } = {},
): DeploymentCommand {
  return {
    type: 'CreateDeployment',
    data: {
      deploymentId: DEPLOYMENT_ID,
      daemonDeploymentArn: DEPLOYMENT_ARN,
      daemonArn: DAEMON_ARN,
      clusterArn: CLUSTER_ARN,
      targetRevision:
        overrides.targetRevision === undefined
          ? { arn: TARGET, daemonTaskDefinitionArn: `${ARN}:daemon-task-definition/agent:2`, capacityProviderArns: [MI_A, MI_B], critical: true }
          : overrides.targetRevision,
      sourceRevisionArns: overrides.sourceRevisionArns ?? [OLD],
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: overrides.alarms ?? { alarmNames: [], enable: false } },
      createdAt: CREATED_AT,
    },
  };
}

function reconcile(now: number, instances: readonly InstanceRecord[]): DeploymentCommand {
  return { type: 'ReconcileDeployment', data: { now, fleet: { instances }, alarms: { states: {} } } };
}

function instance(id: string, capacityProviderArn: string, tasks: readonly [revisionArn: string, running: boolean][], daemonArn = DAEMON_ARN): InstanceRecord {
  return {
    containerInstanceArn: `${ARN}:container-instance/prod/${id}`,
    capacityProviderArn,
    status: 'ACTIVE',
    daemonTasks: tasks.map(([daemonRevisionArn, running]) => ({ daemonArn, daemonRevisionArn, running })),
  };
}

/** On mi-a two instances run the old revision and one has it but not running; on mi-b one runs the target, one runs nothing. */
const mixedFleet = [
  instance('i-1', MI_A, [[OLD, true]]),
  instance('i-2', MI_A, [[OLD, true]]),
  instance('i-3', MI_A, [[OLD, false]]),
  instance('i-4', MI_B, [[TARGET, true]]),
  instance('i-5', MI_B, []),
  instance('i-6', MI_A, [[OLD, true]], `${ARN}:daemon/prod/another`),
];

const upgradedFleet = ['i-1', 'i-2', 'i-3', 'i-4', 'i-5'].map((id, n) => instance(id, n < 3 ? MI_A : MI_B, [[TARGET, true]]));

/** The shape of one revision in a DaemonDeployment, from [provider, running, withoutDaemon, draining] rows. */
function revisionDetail(arn: string, rows: readonly [string, number, number, number][]) {
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

const arbitraryFleet = fc
  .array(
    fc.record({
      provider: fc.constantFrom(MI_A, MI_B, MI_C),
      tasks: fc.array(fc.tuple(fc.constantFrom(TARGET, OLD, STRAY), fc.boolean(), fc.constantFrom(DAEMON_ARN, `${ARN}:daemon/prod/another`)), { maxLength: 2 }),
    }),
    { maxLength: 30 },
  )
  .map((rows) =>
    rows.map(({ provider, tasks }, n) => ({
      ...instance(`i-${n}`, provider, []),
      daemonTasks: tasks.map(([daemonRevisionArn, running, daemonArn]) => ({ daemonArn, daemonRevisionArn, running })),
    })),
  );
