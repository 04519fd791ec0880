import { Streams } from '@daemonfleet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeInstance,
  CLUSTER_ARN,
  daemonArn,
  daemonTask,
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
import { startGateway, type GatewayHarness } from '../testing/gateway.harness.js';

/**
 * The daemon API over HTTP, with a fake orchestrator: UpdateDaemon and DeleteDaemon reach it with what the path
 * and body said; DescribeDaemon counts the fleet now, a deployment shows the counts its stream last recorded; a
 * removed daemon is gone while its history still answers (decision 7).
 */
describe('REST API of daemons (gateway alone)', () => {
  let gateway: GatewayHarness;
  beforeAll(async () => {
    gateway = await startGateway();
    await gateway.append(Streams.cluster(SCOPE, 'prod'), [{ type: 'ClusterCreated', data: { clusterArn: CLUSTER_ARN, clusterName: 'prod', tags: [], createdAt: T0 } }]);
    // Instance 1 drains for the update's deployment; its replacement (3) provisions with revision 2.
    await gateway.append(Streams.capacityProvider(SCOPE, 'mi-a'), [
      providerCreated('mi-a'),
      ...activeInstance(1, 'mi-a', { daemons: [monitorRevision1] }),
      ...activeInstance(2, 'mi-a', { daemons: [monitorRevision1] }),
      drainStarted(1, 3, { deploymentId: UPDATE_ID }),
      provisioned(3, 'mi-a', { daemons: [monitorRevision2], replaces: instanceId(1) }),
    ]);
    await gateway.append(MONITOR_STREAM, [daemonCreated('monitor'), revisionCreated('monitor', '1', CREATE_ID, MI_A), revisionCreated('monitor', '2', UPDATE_ID, { at: T0 + 60_000, ...MI_A })]);
    await gateway.append(Streams.daemonDeployment(CREATE_ID), [deploymentCreated('monitor', CREATE_ID, '1', [], MI_A), deploymentStarted(T0 + 1_000), succeeded(T0 + 2_000)]);
    // The orchestrator saw the drain and recorded the counts; the replacement registering since changed none.
    await gateway.append(Streams.daemonDeployment(UPDATE_ID), [
      deploymentCreated('monitor', UPDATE_ID, '2', ['1'], { at: T0 + 60_000, ...MI_A }),
      deploymentStarted(T0 + 61_000),
      countsObserved(T0 + 62_000, [
        { revisionArn: REVISION_2, capacityProviders: [{ capacityProviderArn: providerArn('mi-a'), running: 0, withoutDaemon: 0, draining: 0 }] },
        { revisionArn: REVISION_1, capacityProviders: [{ capacityProviderArn: providerArn('mi-a'), running: 2, withoutDaemon: 0, draining: 1 }] },
      ]),
    ]);
  });
  afterAll(() => gateway.close());

  describe('counts', () => {
    it('DescribeDaemon counts the revisions running now, newest first', async () => {
      const { body } = await gateway.request('GET', '/v1/daemons/prod/monitor');
      expect(body.daemon).toMatchObject({ status: 'ACTIVE', deploymentArn: deploymentArn('monitor', UPDATE_ID) });
      expect(body.daemon.currentRevisions).toEqual([
        { arn: REVISION_1, capacityProviders: [{ arn: providerArn('mi-a'), runningCount: 2, withoutDaemonCount: 0 }], totalRunningCount: 2, totalWithoutDaemonCount: 0 },
      ]);
    });

    it('a deployment in progress shows the counts its stream last recorded; a finished one its final counts', async () => {
      const response = await fetch(`${gateway.url}/v1/deployments/${UPDATE_ID}`);
      expect(response.headers.get('x-daemonfleet-deployment-version')).toBe('3');
      const inProgress = ((await response.json()) as { daemonDeployment: unknown }).daemonDeployment;
      expect(inProgress).toMatchObject({
        status: 'IN_PROGRESS',
        targetDaemonRevision: { arn: REVISION_2, capacityProviders: [{ arn: providerArn('mi-a'), runningInstanceCount: 0, drainingInstanceCount: 0 }] },
        sourceDaemonRevisions: [{ arn: REVISION_1, totalRunningInstanceCount: 2, totalDrainingInstanceCount: 1 }],
      });

      const finished = (await gateway.request('GET', `/v1/deployments/${CREATE_ID}`)).body.daemonDeployment;
      expect(finished).toMatchObject({ status: 'SUCCESSFUL', targetDaemonRevision: { arn: REVISION_1, totalRunningInstanceCount: 5 }, sourceDaemonRevisions: [] });
    });
  });

  describe('revisions', () => {
    it('lists the daemon’s revisions newest first, and describes one', async () => {
      const { body } = await gateway.request('GET', '/v1/daemons/prod/monitor/revisions');
      expect(body.daemonRevisions.map((r: { daemonRevisionArn: string }) => r.daemonRevisionArn)).toEqual([REVISION_2, REVISION_1]);
      expect((await gateway.request('GET', '/v1/daemon-revisions/prod/monitor/1')).body.daemonRevision).toMatchObject({
        daemonRevisionArn: REVISION_1,
        daemonArn: daemonArn('monitor'),
        clusterArn: CLUSTER_ARN,
        critical: true,
      });
    });

    it.each([
      ['an unknown revision', '/v1/daemon-revisions/prod/monitor/9', 'ClientException'],
      ['a daemon that never existed', '/v1/daemons/prod/never/revisions', 'ClientException'],
    ])('answers %s with 404', async (_what, path, __type) => {
      expect(await gateway.request('GET', path)).toEqual({ status: 404, body: { __type, message: expect.any(String) } });
    });
  });

  describe('UpdateDaemon', () => {
    it('sends the body’s settings with the daemon ARN of the path, and answers with epoch-second times', async () => {
      gateway.answer('orchestrator.command.UpdateDaemon', () => ({ ...commandResult, status: 'ACTIVE' }));
      const settings = { daemonTaskDefinitionArn: 'monitor-agent:3', capacityProviderArns: ['mi-a'], critical: false };

      const response = await gateway.request('PUT', '/v1/daemons/prod/monitor', settings);

      expect(response).toEqual({ status: 200, body: { ...presentedResult, status: 'ACTIVE' } });
      expect(gateway.sent.at(-1)).toMatchObject({ subject: 'orchestrator.command.UpdateDaemon', data: { ...settings, daemonArn: daemonArn('monitor') } });
    });

    it.each([
      ['a daemonArn in the body (it comes from the path)', { daemonTaskDefinitionArn: 'monitor-agent:3', capacityProviderArns: ['mi-a'], daemonArn: daemonArn('other') }, 'daemonArn'],
      ['no capacity providers', { daemonTaskDefinitionArn: 'monitor-agent:3', capacityProviderArns: [] }, 'capacityProviderArns'],
      ['a drainPercent over 100', { daemonTaskDefinitionArn: 'monitor-agent:3', capacityProviderArns: ['mi-a'], deploymentConfiguration: { drainPercent: 101 } }, 'drainPercent'],
    ])('refuses %s without sending anything', async (_what, body, mentioned) => {
      const before = gateway.sent.length;
      expect(await gateway.request('PUT', '/v1/daemons/prod/monitor', body)).toEqual({
        status: 400,
        body: { __type: 'InvalidParameterException', message: expect.stringContaining(mentioned) },
      });
      expect(gateway.sent).toHaveLength(before);
    });
  });

  describe('DeleteDaemon', () => {
    it('sends the daemon ARN of the path and answers DELETE_IN_PROGRESS', async () => {
      gateway.answer('orchestrator.command.DeleteDaemon', () => ({ ...commandResult, status: 'DELETE_IN_PROGRESS' }));
      expect(await gateway.request('DELETE', '/v1/daemons/prod/monitor')).toEqual({ status: 200, body: { ...presentedResult, status: 'DELETE_IN_PROGRESS' } });
      expect(gateway.sent.at(-1)).toEqual(expect.objectContaining({ subject: 'orchestrator.command.DeleteDaemon', data: { daemonArn: daemonArn('monitor') } }));
    });

    it.each([
      ['an unknown daemon', { code: 'DAEMON_NOT_FOUND', message: 'Daemon not found' }, 404, 'DaemonNotFoundException'],
      ['an unknown cluster', { code: 'CLUSTER_NOT_FOUND', message: 'Cluster not found: prod' }, 404, 'ClusterNotFoundException'],
      ['a daemon being deleted (decision 8)', { code: 'DAEMON_NOT_ACTIVE', message: 'the daemon is DELETE_IN_PROGRESS' }, 400, 'DaemonNotActiveException'],
    ])('answers %s as the orchestrator refuses it', async (_what, error, status, __type) => {
      gateway.refuse('orchestrator.command.DeleteDaemon', error);
      gateway.refuse('orchestrator.command.UpdateDaemon', error);
      expect(await gateway.request('DELETE', '/v1/daemons/prod/monitor')).toEqual({ status, body: { __type, message: error.message } });
      expect(await gateway.request('PUT', '/v1/daemons/prod/monitor', { daemonTaskDefinitionArn: 'a:1', capacityProviderArns: ['mi-a'] })).toEqual({
        status,
        body: { __type, message: error.message },
      });
    });
  });

  describe('a removed daemon (decision 7)', () => {
    beforeAll(async () => {
      await gateway.append(GONE_STREAM, [
        daemonCreated('gone'),
        revisionCreated('gone', '1', GONE_CREATE_ID, MI_A),
        { type: 'DaemonDeletionRequested', data: { daemonArn: daemonArn('gone'), deploymentId: GONE_DELETE_ID, deploymentArn: deploymentArn('gone', GONE_DELETE_ID), requestedAt: T0 + 5_000 } },
        { type: 'DaemonRemoved', data: { daemonArn: daemonArn('gone'), removedAt: T0 + 9_000 } },
      ]);
      await gateway.append(Streams.daemonDeployment(GONE_CREATE_ID), [deploymentCreated('gone', GONE_CREATE_ID, '1', [], MI_A), deploymentStarted(T0 + 1_000), succeeded(T0 + 2_000, [])]);
      await gateway.append(Streams.daemonDeployment(GONE_DELETE_ID), [deploymentCreated('gone', GONE_DELETE_ID, null, ['1'], { at: T0 + 5_000 }), deploymentStarted(T0 + 6_000), succeeded(T0 + 9_000, [])]);
    });

    it('is not found, and not listed', async () => {
      expect(await gateway.request('GET', '/v1/daemons/prod/gone')).toEqual({ status: 404, body: { __type: 'DaemonNotFoundException', message: expect.stringContaining('gone') } });
      const listed = (await gateway.request('GET', '/v1/daemons?clusterArn=prod')).body.daemonSummariesList;
      expect(listed.map((d: { daemonArn: string }) => d.daemonArn)).toEqual([daemonArn('monitor')]);
    });

    it('still lists its deployments, newest first, and describes them', async () => {
      const { status, body } = await gateway.request('GET', '/v1/daemons/prod/gone/deployments');
      expect(status).toBe(200);
      expect(body.daemonDeployments.map((d: { daemonDeploymentArn: string }) => d.daemonDeploymentArn)).toEqual([deploymentArn('gone', GONE_DELETE_ID), deploymentArn('gone', GONE_CREATE_ID)]);
      const deletion = (await gateway.request('GET', `/v1/deployments/${GONE_DELETE_ID}`)).body.daemonDeployment;
      expect(deletion).toMatchObject({ status: 'SUCCESSFUL', sourceDaemonRevisions: [{ arn: revisionArn('gone', '1') }] });
      expect(deletion).not.toHaveProperty('targetDaemonRevision');
      expect((await gateway.request('GET', '/v1/daemons/prod/gone/revisions')).body.daemonRevisions).toHaveLength(1);
    });

    it('differs from a daemon that never existed, whose deployments are a ClientException (decision 11)', async () => {
      expect(await gateway.request('GET', '/v1/daemons/prod/never/deployments')).toEqual({ status: 404, body: { __type: 'ClientException', message: expect.stringContaining('never') } });
    });
  });
});

// Fixtures last. Fixed ids and instants.

const MONITOR_STREAM = Streams.daemon(SCOPE, 'prod', 'monitor');
const GONE_STREAM = Streams.daemon(SCOPE, 'prod', 'gone');
const CREATE_ID = 'cReAtEcReAtE0001';
const UPDATE_ID = 'uPdAtEuPdAtE0002';
const GONE_CREATE_ID = 'gOnEgOnEgOnE0001';
const GONE_DELETE_ID = 'zGoNeDeLeTe00002';
const REVISION_1 = revisionArn('monitor', '1');
const REVISION_2 = revisionArn('monitor', '2');
const monitorRevision1 = daemonTask('monitor', '1');
const monitorRevision2 = daemonTask('monitor', '2', { taskDefinition: 'monitor-agent:2' });
const MI_A = { capacityProviderArns: [providerArn('mi-a')] };

const commandResult = { daemonArn: daemonArn('monitor'), createdAt: T0, updatedAt: T0 + 120_500, deploymentArn: deploymentArn('monitor', 'nEwDePlOyMeNt003') };
const presentedResult = { daemonArn: daemonArn('monitor'), createdAt: 1_742_040_000, updatedAt: 1_742_040_120.5, deploymentArn: deploymentArn('monitor', 'nEwDePlOyMeNt003') };

/** Finished; by default with final counts the fleet does not show (5 instances): a finished deployment keeps them. */
function succeeded(at: number, finalCounts = [{ revisionArn: REVISION_1, capacityProviders: [{ capacityProviderArn: providerArn('mi-a'), running: 5, withoutDaemon: 0, draining: 0 }] }]) {
  return deploymentSucceeded(at, finalCounts);
}
