import type { DaemonCreated, DaemonEvent, DaemonRevisionCreated, RevisionInstanceCounts } from '@daemonfleet/contracts';
import { evolveDaemon, initialDaemonState, type DaemonState } from '@daemonfleet/domain';
import { describe, expect, it } from 'vitest';
import { presentDaemon, presentDaemonCommandResult, presentDaemonRevision, presentDaemonSummary } from './daemon.presenter.js';

describe('presentDaemon', () => {
  it('shows the daemon with its latest deployment and epoch-second times', () => {
    expect(presentDaemon(daemonAfter(threeRevisions), [])).toEqual({
      daemonArn: DAEMON_ARN,
      clusterArn: CLUSTER_ARN,
      status: 'ACTIVE',
      currentRevisions: [],
      deploymentArn: deploymentArn(2),
      createdAt: 1_742_040_000,
      updatedAt: 1_742_040_600.25,
    });
  });

  it('lists the revisions with running or without-daemon instances, newest first, and leaves the others out (spec 2.8, decision 16)', () => {
    const counts = [
      counted(REVISION_ARNS[0], [[MI_A, 0, 1]]), // the oldest revision: only an instance without it
      counted(REVISION_ARNS[2], [
        [MI_A, 1, 0],
        [MI_B, 2, 0],
      ]),
      counted(REVISION_ARNS[1], [[MI_B, 0, 0]]), // counted, but on no instance
    ];

    expect(presentDaemon(daemonAfter(threeRevisions), counts).currentRevisions).toEqual([
      {
        arn: REVISION_ARNS[2],
        capacityProviders: [
          { arn: MI_A, runningCount: 1, withoutDaemonCount: 0 },
          { arn: MI_B, runningCount: 2, withoutDaemonCount: 0 },
        ],
        totalRunningCount: 3,
        totalWithoutDaemonCount: 0,
      },
      { arn: REVISION_ARNS[0], capacityProviders: [{ arn: MI_A, runningCount: 0, withoutDaemonCount: 1 }], totalRunningCount: 0, totalWithoutDaemonCount: 1 },
    ]);
  });

  it('orders by the daemon’s revisions, not by how many instances run them', () => {
    const counts = [counted(REVISION_ARNS[0], [[MI_A, 2, 0]]), counted(REVISION_ARNS[1], [[MI_A, 1, 0]]), counted(REVISION_ARNS[2], [[MI_B, 1, 0]])];
    expect(presentDaemon(daemonAfter(threeRevisions), counts).currentRevisions.map((r) => r.arn)).toEqual([REVISION_ARNS[2], REVISION_ARNS[1], REVISION_ARNS[0]]);
  });

  it('shows a daemon being deleted as DELETE_IN_PROGRESS, its deletion as its latest deployment, its revisions still counted', () => {
    const presented = presentDaemon(daemonAfter([...threeRevisions, deletionRequested]), [counted(REVISION_ARNS[2], [[MI_A, 4, 0]])]);
    expect(presented).toMatchObject({ status: 'DELETE_IN_PROGRESS', deploymentArn: deploymentArn(3), updatedAt: 1_742_040_900 });
    expect(presented.currentRevisions.map((r) => r.arn)).toEqual([REVISION_ARNS[2]]);
  });
});

describe('presentDaemonSummary', () => {
  it('keeps the fields of ListDaemons', () => {
    expect(presentDaemonSummary(daemonAfter(threeRevisions))).toEqual({ daemonArn: DAEMON_ARN, status: 'ACTIVE', createdAt: 1_742_040_000, updatedAt: 1_742_040_600.25 });
  });
});

describe('presentDaemonCommandResult', () => {
  it('answers UpdateDaemon and DeleteDaemon with epoch-second times (spec 2.6, 2.7)', () => {
    const result = { daemonArn: DAEMON_ARN, status: 'DELETE_IN_PROGRESS', createdAt: TIMES[0], updatedAt: TIMES[2], deploymentArn: deploymentArn(2) } as const;
    expect(presentDaemonCommandResult(result)).toEqual({
      daemonArn: DAEMON_ARN,
      status: 'DELETE_IN_PROGRESS',
      createdAt: 1_742_040_000,
      updatedAt: 1_742_040_600.25,
      deploymentArn: deploymentArn(2),
    });
  });
});

describe('presentDaemonRevision', () => {
  it('shows the revision’s snapshot with the daemon’s and cluster’s ARNs (spec 1.7)', () => {
    const daemon = daemonAfter(threeRevisions);
    expect(presentDaemonRevision(daemon, daemon.revisions[1])).toEqual({
      daemonRevisionArn: REVISION_ARNS[1],
      clusterArn: CLUSTER_ARN,
      daemonArn: DAEMON_ARN,
      daemonTaskDefinitionArn: `${ARN}:daemon-task-definition/agent:2`,
      createdAt: 1_742_040_300,
      containerImages: [{ containerName: 'agent', image: 'agent:2.0', imageDigest: 'sha256:02' }],
      propagateTags: 'NONE',
      enableECSManagedTags: false,
      enableExecuteCommand: true,
      critical: false,
    });
  });
});

// Fixtures last, so the scenarios read first. Fixed ids and instants; the daemon is only ever folded from events.

const ARN = 'arn:aws:ecs:us-east-1:123456789012';
const CLUSTER_ARN = `${ARN}:cluster/prod`;
const DAEMON_ARN = `${ARN}:daemon/prod/monitor`;
const MI_A = `${ARN}:capacity-provider/mi-a`;
const MI_B = `${ARN}:capacity-provider/mi-b`;
const REVISION_IDS = ['1000000000000000001', '1000000000000000002', '1000000000000000003'];
const REVISION_ARNS = REVISION_IDS.map((id) => `${ARN}:daemon-revision/prod/monitor/${id}`);
const DEPLOYMENT_IDS = ['aaaaaaaaaaaaaaa1', 'aaaaaaaaaaaaaaa2', 'aaaaaaaaaaaaaaa3', 'aaaaaaaaaaaaaaa4'];
const TIMES = [1_742_040_000_000, 1_742_040_300_000, 1_742_040_600_250, 1_742_040_900_000];
const deploymentArn = (n: number) => `${ARN}:daemon-deployment/prod/monitor/${DEPLOYMENT_IDS[n]}`;

const daemonCreated: DaemonCreated = {
  type: 'DaemonCreated',
  data: { daemonArn: DAEMON_ARN, daemonName: 'monitor', clusterArn: CLUSTER_ARN, tags: [], clientToken: null, requestFingerprint: 'fingerprint', createdAt: TIMES[0] },
};

/** The n-th revision of the daemon (task definition agent:n+1), with the deployment that rolls it out. */
function revisionCreated(n: number): DaemonRevisionCreated {
  return {
    type: 'DaemonRevisionCreated',
    data: {
      daemonArn: DAEMON_ARN,
      revision: {
        daemonRevisionArn: REVISION_ARNS[n],
        revisionId: REVISION_IDS[n],
        daemonTaskDefinitionArn: `${ARN}:daemon-task-definition/agent:${n + 1}`,
        capacityProviderArns: [MI_A, MI_B],
        propagateTags: 'NONE',
        enableECSManagedTags: false,
        enableExecuteCommand: n === 1,
        critical: n !== 1,
        containerImages: [{ containerName: 'agent', image: `agent:${n + 1}.0`, imageDigest: `sha256:0${n + 1}` }],
        createdAt: TIMES[n],
      },
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
      deploymentId: DEPLOYMENT_IDS[n],
      deploymentArn: deploymentArn(n),
      createdAt: TIMES[n],
    },
  };
}

const threeRevisions: DaemonEvent[] = [daemonCreated, revisionCreated(0), revisionCreated(1), revisionCreated(2)];
const deletionRequested: DaemonEvent = {
  type: 'DaemonDeletionRequested',
  data: { daemonArn: DAEMON_ARN, deploymentId: DEPLOYMENT_IDS[3], deploymentArn: deploymentArn(3), requestedAt: TIMES[3] },
};

function daemonAfter(events: readonly DaemonEvent[]): Exclude<DaemonState, { status: 'NONE' }> {
  const state = events.reduce(evolveDaemon, initialDaemonState());
  if (state.status === 'NONE') throw new Error('no daemon');
  return state;
}

/** One revision's counts from [provider, running, withoutDaemon] rows; nothing drains outside a deployment. */
function counted(revisionArn: string, rows: readonly (readonly [string, number, number])[]): RevisionInstanceCounts {
  return { revisionArn, capacityProviders: rows.map(([capacityProviderArn, running, withoutDaemon]) => ({ capacityProviderArn, running, withoutDaemon, draining: 0 })) };
}
