import type { CapacityProviderRecord, DaemonEvent, DaemonRevisionCreated, InstanceRecord } from '@daemonfleet/contracts';
import {
  daemonDecider,
  deploymentDecider,
  fold,
  type CreateDaemon,
  type DaemonState,
  type DeploymentCommand,
  type DeploymentState,
} from '@daemonfleet/domain';
import { describe, expect, it } from 'vitest';
import { presentDaemon, presentDaemonSummary } from './daemon.presenter.js';

describe('presentDaemon', () => {
  it('shows the daemon with its latest deployment and epoch-second times', () => {
    const { daemon, revisionEvents } = daemonWithRevisions();
    const presented = presentDaemon(daemon, latestDeploymentOf(revisionEvents, []));

    expect(presented).toEqual({
      daemonArn: DAEMON_ARN,
      clusterArn: CLUSTER_ARN,
      status: 'ACTIVE',
      currentRevisions: [],
      deploymentArn: `${ARN}:daemon-deployment/prod/monitor/${DEPLOYMENT_IDS[2]}`,
      createdAt: 1_742_040_000,
      updatedAt: 1_742_040_600.25,
    });
  });

  it('lists the revisions with running or without-daemon instances, newest first, and leaves the others out (spec 2.8, decision 16)', () => {
    const { daemon, revisionEvents } = daemonWithRevisions();
    const fleet = [
      instance('i-1', MI_A, REVISION_ARNS[0], false), // oldest revision: only without-daemon
      instance('i-2', MI_A, REVISION_ARNS[2], true),
      instance('i-3', MI_B, REVISION_ARNS[2], true),
      instance('i-4', MI_B, REVISION_ARNS[2], true),
      // the middle revision runs nowhere
    ];

    const presented = presentDaemon(daemon, latestDeploymentOf(revisionEvents, fleet));

    expect(presented.currentRevisions).toEqual([
      {
        arn: REVISION_ARNS[2],
        capacityProviders: [
          { arn: MI_A, runningCount: 1, withoutDaemonCount: 0 },
          { arn: MI_B, runningCount: 2, withoutDaemonCount: 0 },
        ],
        totalRunningCount: 3,
        totalWithoutDaemonCount: 0,
      },
      {
        arn: REVISION_ARNS[0],
        capacityProviders: [{ arn: MI_A, runningCount: 0, withoutDaemonCount: 1 }],
        totalRunningCount: 0,
        totalWithoutDaemonCount: 1,
      },
    ]);
  });

  it('orders by the daemon’s revisions, not by how many instances run them', () => {
    const { daemon, revisionEvents } = daemonWithRevisions();
    const fleet = [
      instance('i-1', MI_A, REVISION_ARNS[0], true),
      instance('i-2', MI_A, REVISION_ARNS[0], true),
      instance('i-3', MI_A, REVISION_ARNS[1], true),
      instance('i-4', MI_B, REVISION_ARNS[2], true),
    ];
    const presented = presentDaemon(daemon, latestDeploymentOf(revisionEvents, fleet));
    expect(presented.currentRevisions.map((r) => r.arn)).toEqual([REVISION_ARNS[2], REVISION_ARNS[1], REVISION_ARNS[0]]);
  });

  it('lists no revision while the latest deployment is PENDING or unknown', () => {
    const { daemon, revisionEvents } = daemonWithRevisions();
    expect(presentDaemon(daemon, pendingDeploymentOf(revisionEvents)).currentRevisions).toEqual([]);
    expect(presentDaemon(daemon, undefined).currentRevisions).toEqual([]);
    expect(presentDaemon(daemon, deploymentDecider.initialState()).currentRevisions).toEqual([]);
  });

  it('shows a daemon with one revision', () => {
    const daemon = daemonAfter(createdEvents());
    const presented = presentDaemon(daemon, undefined);
    expect(presented).toMatchObject({ createdAt: 1_742_040_000, updatedAt: 1_742_040_000, deploymentArn: `${ARN}:daemon-deployment/prod/monitor/${DEPLOYMENT_IDS[0]}` });
  });
});

describe('presentDaemonSummary', () => {
  it('keeps the fields of ListDaemons', () => {
    const { daemon } = daemonWithRevisions();
    expect(presentDaemonSummary(daemon)).toEqual({ daemonArn: DAEMON_ARN, status: 'ACTIVE', createdAt: 1_742_040_000, updatedAt: 1_742_040_600.25 });
  });
});

// Fixtures last, so the scenarios read first. Fixed ids and instants.

const scope = { accountId: '123456789012', region: 'us-east-1' };
const ARN = 'arn:aws:ecs:us-east-1:123456789012';
const CLUSTER_ARN = `${ARN}:cluster/prod`;
const DAEMON_ARN = `${ARN}:daemon/prod/monitor`;
const MI_A = `${ARN}:capacity-provider/mi-a`;
const MI_B = `${ARN}:capacity-provider/mi-b`;
const REVISION_IDS = ['1000000000000000001', '1000000000000000002', '1000000000000000003'];
const REVISION_ARNS = REVISION_IDS.map((id) => `${ARN}:daemon-revision/prod/monitor/${id}`);
const DEPLOYMENT_IDS = ['aaaaaaaaaaaaaaa1', 'aaaaaaaaaaaaaaa2', 'aaaaaaaaaaaaaaa3'];
const TIMES = [1_742_040_000_000, 1_742_040_300_000, 1_742_040_600_250];

type ActiveDaemon = Exclude<DaemonState, { status: 'NONE' }>;

const provider = (name: string): CapacityProviderRecord => ({
  capacityProviderArn: `${ARN}:capacity-provider/${name}`,
  name,
  type: 'MANAGED_INSTANCES',
  clusterName: 'prod',
  status: 'ACTIVE',
});

const createDaemon: CreateDaemon = {
  type: 'CreateDaemon',
  data: {
    scope,
    clusterName: 'prod',
    daemonName: 'monitor',
    clusterExists: true,
    taskDefinition: {
      reference: 'agent:1',
      found: {
        daemonTaskDefinitionArn: `${ARN}:daemon-task-definition/agent:1`,
        status: 'ACTIVE',
        containerImages: [{ containerName: 'agent', image: 'agent:1.0', imageDigest: 'sha256:00' }],
      },
    },
    capacityProviders: [
      { reference: 'mi-a', found: provider('mi-a') },
      { reference: 'mi-b', found: provider('mi-b') },
    ],
    settings: {
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
      propagateTags: 'NONE',
      enableECSManagedTags: false,
      enableExecuteCommand: false,
      critical: false,
    },
    tags: [],
    clientToken: null,
    requestFingerprint: 'fingerprint',
    revisionId: REVISION_IDS[0],
    deploymentId: DEPLOYMENT_IDS[0],
    now: TIMES[0],
  },
};

/** The events CreateDaemon decides: the daemon and its first revision. */
const createdEvents = (): DaemonEvent[] => daemonDecider.decide(createDaemon, daemonDecider.initialState());

/** A later revision of the same daemon, as an update will record it (no UpdateDaemon command exists yet). */
function laterRevision(first: DaemonRevisionCreated, n: number): DaemonRevisionCreated {
  return {
    type: 'DaemonRevisionCreated',
    data: {
      ...first.data,
      revision: { ...first.data.revision, daemonRevisionArn: REVISION_ARNS[n], revisionId: REVISION_IDS[n], createdAt: TIMES[n] },
      deploymentId: DEPLOYMENT_IDS[n],
      deploymentArn: `${ARN}:daemon-deployment/prod/monitor/${DEPLOYMENT_IDS[n]}`,
      createdAt: TIMES[n],
    },
  };
}

function daemonAfter(events: readonly DaemonEvent[]): ActiveDaemon {
  const state = fold(daemonDecider, events);
  if (state.status === 'NONE') throw new Error('no daemon');
  return state;
}

/** A daemon with three revisions, each with its deployment. */
function daemonWithRevisions() {
  const [created, first] = createdEvents() as [DaemonEvent, DaemonRevisionCreated];
  const revisionEvents = [first, laterRevision(first, 1), laterRevision(first, 2)];
  return { daemon: daemonAfter([created, ...revisionEvents]), revisionEvents };
}

/** The latest revision's deployment, opened as the orchestrator opens it and reconciled once against `fleet`. */
function latestDeploymentOf(revisionEvents: readonly DaemonRevisionCreated[], fleet: readonly InstanceRecord[]): DeploymentState {
  return deploymentAfter([openDeployment(revisionEvents), { type: 'ReconcileDeployment', data: { now: TIMES[2] + 1_000, fleet: { instances: fleet }, alarms: { states: {} } } }]);
}

function pendingDeploymentOf(revisionEvents: readonly DaemonRevisionCreated[]): DeploymentState {
  return deploymentAfter([openDeployment(revisionEvents)]);
}

function openDeployment(revisionEvents: readonly DaemonRevisionCreated[]): DeploymentCommand {
  const latest = revisionEvents.at(-1)!.data;
  return {
    type: 'CreateDeployment',
    data: {
      deploymentId: latest.deploymentId,
      daemonDeploymentArn: latest.deploymentArn,
      daemonArn: latest.daemonArn,
      clusterArn: CLUSTER_ARN,
      targetRevision: {
        arn: latest.revision.daemonRevisionArn,
        daemonTaskDefinitionArn: latest.revision.daemonTaskDefinitionArn,
        capacityProviderArns: latest.revision.capacityProviderArns,
        critical: latest.revision.critical,
      },
      sourceRevisionArns: revisionEvents.slice(0, -1).map((e) => e.data.revision.daemonRevisionArn),
      deploymentConfiguration: latest.deploymentConfiguration,
      createdAt: latest.createdAt,
    },
  };
}

function deploymentAfter(commands: readonly DeploymentCommand[]): DeploymentState {
  return commands.reduce((s, command) => fold(deploymentDecider, deploymentDecider.decide(command, s), s), deploymentDecider.initialState());
}

function instance(id: string, capacityProviderArn: string, daemonRevisionArn: string, running: boolean): InstanceRecord {
  return { containerInstanceArn: `${ARN}:container-instance/prod/${id}`, capacityProviderArn, status: 'ACTIVE', daemonTasks: [{ daemonArn: DAEMON_ARN, daemonRevisionArn, running }] };
}
