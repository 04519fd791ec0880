import { Streams, type DaemonEvent, type DeploymentEvent, type RevisionInstanceCounts } from '@daemonfleet/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activeInstance,
  CLUSTER_ARN,
  daemonArn,
  daemonTask,
  DEPLOYMENT_ID,
  drainStarted,
  instanceId,
  providerArn,
  providerCreated,
  provisioned,
  revisionArn,
  SCOPE,
  T0,
} from '../testing/fleet.fixtures.js';
import { countsObserved, daemonCreated, deploymentArn, deploymentCreated, deploymentStarted, deploymentSucceeded, revisionCreated } from '../testing/daemon.fixtures.js';
import { startReadModels, type ReadModelsHarness } from '../testing/read-models.harness.js';

describe('DaemonQueries', () => {
  let h: ReadModelsHarness;
  beforeEach(async () => {
    h = await startReadModels();
    // Two instances run revision 1; one drains for the deployment; its replacement registers with revision 2.
    await h.append(MI_A, [
      providerCreated('mi-a'),
      ...activeInstance(1, 'mi-a', { daemons: [revision1] }),
      ...activeInstance(2, 'mi-a', { daemons: [revision1] }),
      drainStarted(1, 3),
      provisioned(3, 'mi-a', { daemons: [revision2], replaces: instanceId(1) }),
    ]);
    await h.append(MI_B, [providerCreated('mi-b'), ...activeInstance(4, 'mi-b', { daemons: [revision2] })]);
    await h.append(DAEMON_STREAM, daemonEvents);
  });
  afterEach(() => h.close());

  describe('counts', () => {
    it('counts a daemon’s revisions over its cluster’s fleet now (DescribeDaemon)', async () => {
      const daemon = (await h.daemons.daemon(DAEMON_STREAM))!;
      expect(sorted(h.daemons.currentCounts(daemon))).toEqual([
        { revisionArn: REVISION_1, capacityProviders: [{ capacityProviderArn: providerArn('mi-a'), running: 2, withoutDaemon: 0, draining: 0 }] },
        { revisionArn: REVISION_2, capacityProviders: [{ capacityProviderArn: providerArn('mi-b'), running: 1, withoutDaemon: 0, draining: 0 }] },
      ]);
    });

    it('shows a PENDING deployment with its target’s providers at zero: it has recorded no counts yet', async () => {
      await h.append(DEPLOYMENT_STREAM, [created]);
      const deployment = (await h.daemons.deployment(DEPLOYMENT_ID))!;

      expect(h.daemons.deploymentCounts(deployment)).toEqual([
        {
          revisionArn: REVISION_2,
          capacityProviders: [
            { capacityProviderArn: providerArn('mi-a'), running: 0, withoutDaemon: 0, draining: 0 },
            { capacityProviderArn: providerArn('mi-b'), running: 0, withoutDaemon: 0, draining: 0 },
          ],
        },
      ]);
    });

    it('shows a running deployment with the counts its stream last recorded, not the fleet now, with the version it reflects', async () => {
      const observed: RevisionInstanceCounts[] = [{ revisionArn: REVISION_1, capacityProviders: [{ capacityProviderArn: providerArn('mi-a'), running: 2, withoutDaemon: 0, draining: 1 }] }];
      await h.append(DEPLOYMENT_STREAM, [created, started, countsObserved(T0 + 60_000, observed)]);
      // The fleet moves on; until the orchestrator records it, the deployment shows what it recorded.
      await h.append(MI_A, [{ type: 'InstanceDeregistered', data: { instanceId: instanceId(2), deregisteredAt: T0 + 80_000 } }]);

      expect(h.daemons.deploymentCounts((await h.daemons.deployment(DEPLOYMENT_ID))!)).toEqual(observed);
      expect(await h.daemons.deploymentAtVersion(DEPLOYMENT_ID)).toMatchObject({ version: 3, deployment: { status: 'IN_PROGRESS' } });
    });

    it.each([
      ['SUCCESSFUL', deploymentSucceeded(T0 + 90_000, finalCounts)],
      ['STOPPED', { type: 'DeploymentStopped', data: { stoppedAt: T0 + 90_000, reason: 'SUPERSEDED', statusReason: 'replaced', finalCounts } }],
    ] satisfies [string, DeploymentEvent][])('shows a %s deployment with the counts it ended with, whatever the fleet is now', async (_status, last) => {
      await h.append(DEPLOYMENT_STREAM, [created, started, last]);
      expect(h.daemons.deploymentCounts((await h.daemons.deployment(DEPLOYMENT_ID))!)).toEqual(finalCounts);
    });

    it('shows a deployment stopped while PENDING with the counts it was stopped with', async () => {
      await h.append(DEPLOYMENT_STREAM, [created, { type: 'DeploymentStopped', data: { stoppedAt: T0 + 90_000, reason: 'SUPERSEDED', statusReason: 'replaced', finalCounts } }]);
      expect(h.daemons.deploymentCounts((await h.daemons.deployment(DEPLOYMENT_ID))!)).toEqual(finalCounts);
    });
  });

  describe('a removed daemon (decision 7)', () => {
    beforeEach(async () => {
      await h.append(DEPLOYMENT_STREAM, [created]);
      await h.append(DAEMON_STREAM, [
        { type: 'DaemonDeletionRequested', data: { daemonArn: DAEMON_ARN, deploymentId: DELETE_DEPLOYMENT_ID, deploymentArn: deploymentArn('monitor', DELETE_DEPLOYMENT_ID), requestedAt: T0 + 100_000 } },
      ]);
    });

    it('is listed and described while DELETE_IN_PROGRESS', async () => {
      expect(await h.daemons.daemon(DAEMON_STREAM)).toMatchObject({ status: 'DELETE_IN_PROGRESS' });
      expect((await h.daemons.daemonsOf(CLUSTER_ARN, [])).map((d) => d.daemonArn)).toEqual([DAEMON_ARN]);
    });

    it('is neither described nor listed once removed, and keeps its history', async () => {
      await h.append(DAEMON_STREAM, [{ type: 'DaemonRemoved', data: { daemonArn: DAEMON_ARN, removedAt: T0 + 200_000 } }]);

      expect(await h.daemons.daemon(DAEMON_STREAM)).toBeUndefined();
      expect(await h.daemons.daemonsOf(CLUSTER_ARN, [])).toEqual([]);
      const history = (await h.daemons.history(DAEMON_STREAM))!;
      expect(history).toMatchObject({ status: 'REMOVED', revisions: [{ daemonRevisionArn: REVISION_1 }, { daemonRevisionArn: REVISION_2 }] });
      // Only the deployments whose streams the read models have: here the update's.
      expect(h.daemons.deploymentsOf(history).map((d) => d.deploymentId)).toEqual([DEPLOYMENT_ID]);
    });

    it('has no history when it never existed', async () => {
      expect(await h.daemons.history(Streams.daemon(SCOPE, 'prod', 'never'))).toBeUndefined();
    });
  });
});

// Fixtures last.

const MI_A = Streams.capacityProvider(SCOPE, 'mi-a');
const MI_B = Streams.capacityProvider(SCOPE, 'mi-b');
const DAEMON_STREAM = Streams.daemon(SCOPE, 'prod', 'monitor');
const DEPLOYMENT_STREAM = Streams.daemonDeployment(DEPLOYMENT_ID);
const DELETE_DEPLOYMENT_ID = 'zZ9yY8xX7wW6vV5u';
const DAEMON_ARN = daemonArn('monitor');
const REVISION_1 = revisionArn('monitor', '1');
const REVISION_2 = revisionArn('monitor', '2');
const revision1 = daemonTask('monitor', '1');
const revision2 = daemonTask('monitor', '2', { taskDefinition: 'monitor-agent:2' });

const finalCounts: RevisionInstanceCounts[] = [{ revisionArn: REVISION_2, capacityProviders: [{ capacityProviderArn: providerArn('mi-a'), running: 7, withoutDaemon: 0, draining: 0 }] }];

const BOTH_PROVIDERS = { capacityProviderArns: [providerArn('mi-a'), providerArn('mi-b')] };
const daemonEvents: DaemonEvent[] = [
  daemonCreated('monitor'),
  revisionCreated('monitor', '1', 'aaaaaaaaaaaaaaa1', BOTH_PROVIDERS),
  revisionCreated('monitor', '2', DEPLOYMENT_ID, { at: T0 + 50_000, ...BOTH_PROVIDERS }),
];
const created = deploymentCreated('monitor', DEPLOYMENT_ID, '2', ['1'], { at: T0 + 50_000, ...BOTH_PROVIDERS });
const started = deploymentStarted(T0 + 55_000);

const sorted = (counts: RevisionInstanceCounts[]) => [...counts].sort((a, b) => a.revisionArn.localeCompare(b.revisionArn));
