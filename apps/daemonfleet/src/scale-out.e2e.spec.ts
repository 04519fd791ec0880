import { ErrorCode, Subjects } from '@daemonfleet/contracts';
import { createRpcClient, RemoteError, type RpcClient } from '@daemonfleet/messaging';
import { describeWithNats, eventually } from '@daemonfleet/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { distributedSuite } from './testing/distributed-suite.js';
import type { ServiceProcess } from './testing/distributed-system.js';
import { FAST_FLEET } from './testing/fast-fleet.js';
import { FleetWorld, idOf } from './testing/fleet-world.js';
import { jsonClient, type Json, type JsonClient } from './testing/http-client.js';
import { expectRolloutIntact } from './testing/rollout-checks.js';
import { scrape } from './testing/service-metrics.js';

/**
 * Scale-out: every service as several processes over one real nats-server, the work spread over the replicas, and
 * what happens when one of them dies in the middle of a rollout. Everything is checked through the API, the event
 * store and each replica's own /metrics.
 */
describeWithNats('scale-out: 2 gateways, 2 orchestrators, 3 fleet agents over NATS', () => {
  const suite = distributedSuite('DF_SCALE', {
    env: { ...FAST_FLEET, RESYNC_INTERVAL_MS: '200', EVENT_ACK_WAIT_MS: '2000', METRICS_PERIOD_SECONDS: '86400' },
    replicas: { 'api-gateway': 2, 'deployment-orchestrator': 2, 'fleet-agent': 3 },
    startTimeoutMs: 90_000,
  });
  let staleOrchestrator: RpcClient;

  beforeAll(() => {
    staleOrchestrator = createRpcClient({ kind: 'nats', servers: [suite.nats.url], name: 'stale-orchestrator' }, { defaultTimeoutMs: 5_000 });
  });
  afterAll(() => staleOrchestrator?.close());

  it('rolls a daemon over 200 instances, every replica doing part of the work', async () => {
    const w = new FleetWorld(roundRobin(suite.system.gatewayUrls.map(jsonClient)), suite.store, 'wide');
    await w.create();
    await w.service('web', 200);
    // Fleet commands reach a random replica of the queue group, and a replica's fleet events follow the commands it
    // takes. Small batches make dozens of drain commands, so that none of the 3 agents is left without one by chance
    // (with 25%, one was about one run in ten).
    const { deploymentId } = await w.createDaemon('agent', { daemonTaskDefinitionArn: 'wide-agent:1', capacityProviderArns: [w.provider()], deploymentConfiguration: { drainPercent: 5 } });
    await w.watch(deploymentId, 'SUCCESSFUL', 120_000);
    await expectRolloutIntact(w, deploymentId, { service: 'web', desired: 200 });

    for (const gateway of suite.system.replicas('api-gateway')) expect((await scrape(gateway.metricsUrl!)).sum('daemonfleet_commands_handled_total'), 'gateway requests').toBeGreaterThan(0);
    for (const orchestrator of suite.system.replicas('deployment-orchestrator')) {
      const metrics = await scrape(orchestrator.metricsUrl!);
      // Both reconcile every deployment; the stream version lets one append win each race.
      expect(metrics.sum('daemonfleet_events_appended_total', { category: 'daemonDeployment' }), `${orchestrator.child.pid}: deployment events appended`).toBeGreaterThan(0);
      expect(metrics.sum('daemonfleet_reconcile_duration_seconds_count', { loop: 'deployment' })).toBeGreaterThan(0);
      // The reactions' durable subscription is shared: each event reaches one replica.
      expect(metrics.sum('daemonfleet_events_consumed_total', { subscription: 'deployment-orchestrator' })).toBeGreaterThan(0);
      // Each replica's views follow the store on their own: the one that did not append the end may see it later.
      await eventually(async () => expect((await scrape(orchestrator.metricsUrl!)).sum('daemonfleet_deployments', { status: 'SUCCESSFUL' })).toBeGreaterThanOrEqual(1), {
        timeoutMs: 10_000,
        what: `orchestrator ${orchestrator.child.pid} to count the deployment SUCCESSFUL`,
      });
    }
    for (const agent of suite.system.replicas('fleet-agent')) {
      const metrics = await scrape(agent.metricsUrl!);
      expect(metrics.sum('daemonfleet_commands_handled_total', { outcome: 'ok' }), `fleet agent ${agent.child.pid}: commands`).toBeGreaterThan(0);
      expect(metrics.sum('daemonfleet_events_appended_total', { category: 'capacityProvider' }), `fleet agent ${agent.child.pid}: fleet events`).toBeGreaterThan(0);
      expect(metrics.sum('daemonfleet_events_consumed_total', { subscription: 'fleet-agent' })).toBeGreaterThan(0);
    }
  });

  it('finishes a rollout when one of the two orchestrators is killed in the middle of it (SIGKILL)', async () => {
    const w = new FleetWorld(jsonClient(suite.system.url), suite.store, 'orchkill');
    await w.create();
    await w.service('web', 40);
    const { deploymentId } = await w.createDaemon('agent', { daemonTaskDefinitionArn: 'orchkill-agent:1', capacityProviderArns: [w.provider()], deploymentConfiguration: { drainPercent: 10 } });
    await untilDrained(w, 1);
    await suite.system.replicas('deployment-orchestrator')[0].stop('SIGKILL');
    expect((await w.deployment(deploymentId)).status).toBe('IN_PROGRESS');

    await w.watch(deploymentId, 'SUCCESSFUL', 60_000);
    await expectRolloutIntact(w, deploymentId, { service: 'web', desired: 40 });
    await suite.system.startReplica('deployment-orchestrator');
  });

  it('hands the instances of a fleet agent that dies (SIGKILL) to the others, their state being in the store', async () => {
    const w = new FleetWorld(jsonClient(suite.system.url), suite.store, 'agentkill');
    await w.create();
    await w.service('web', 40);
    const { deploymentId } = await w.createDaemon('agent', { daemonTaskDefinitionArn: 'agentkill-agent:1', capacityProviderArns: [w.provider()], deploymentConfiguration: { drainPercent: 10 } });
    await untilDrained(w, 1);
    await (await busiestFleetAgent()).stop('SIGKILL');

    await w.watch(deploymentId, 'SUCCESSFUL', 60_000);
    await expectRolloutIntact(w, deploymentId, { service: 'web', desired: 40 });
    await suite.system.startReplica('fleet-agent');
  });

  it('refuses a fleet command carrying an older stream version of a deployment that two orchestrators carry out (fencing)', async () => {
    const w = new FleetWorld(jsonClient(suite.system.url), suite.store, 'fenced');
    await w.create();
    await w.service('web', 20);
    const { deploymentId } = await w.createDaemon('agent', { daemonTaskDefinitionArn: 'fenced-agent:1', capacityProviderArns: [w.provider()], deploymentConfiguration: { drainPercent: 10 } });
    const stream = `daemonDeployment-${deploymentId}`;
    // The first batch's request fixes a fence the fleet has since seen overtaken by later batches' commands.
    const firstRequest = await eventually(async () => {
      const requested = (await suite.store.readStream(stream)).find((e) => e.type === 'InstanceDrainsRequested');
      expect(requested).toBeDefined();
      return requested!;
    });
    const staleFence = firstRequest.streamVersion;
    await eventually(
      async () => {
        const fences = (await w.fleetEvents()).filter((e) => e.type === 'InstanceDrainStarted' && (e.data as Json).deploymentId === deploymentId).map((e) => (e.data as Json).fence);
        expect(Math.max(...fences)).toBeGreaterThan(staleFence);
      },
      { timeoutMs: 30_000, what: 'a later batch of the deployment draining' },
    );
    const created = (await suite.store.readStream(stream))[0].data as Json;
    // An instance listed may be terminated before it is described (it then has no description): only live ones count.
    const undrained = (await w.instances()).filter((i) => i?.status === 'ACTIVE').map((i) => idOf(i.containerInstanceArn)).slice(0, 2);

    // What an orchestrator replica that froze after its first append would send when it wakes up.
    const refused = await staleOrchestrator
      .request(Subjects.fleet.startInstanceDrains, {
        data: {
          deploymentId,
          fence: staleFence,
          capacityProviderArn: created.targetRevision.capacityProviderArns[0],
          daemonArn: created.daemonArn,
          instanceIds: undrained,
          replacementDaemon: { daemonArn: created.daemonArn, daemonRevisionArn: created.targetRevision.arn, daemonTaskDefinitionArn: created.targetRevision.daemonTaskDefinitionArn, critical: true },
        },
        meta: { correlationId: 'stale-orchestrator', scope: { accountId: '000000000000', region: 'us-east-1' }, principalArn: 'arn:aws:iam::000000000000:root' },
      })
      .then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(RemoteError);
    expect((refused as RemoteError).code).toBe(ErrorCode.StaleFencingToken);

    await w.watch(deploymentId, 'SUCCESSFUL', 60_000);
    await expectRolloutIntact(w, deploymentId, { service: 'web', desired: 20 });
    const staleDrains = (await w.fleetEvents()).filter((e) => e.type === 'InstanceDrainStarted' && (e.data as Json).fence <= staleFence && undrained.includes((e.data as Json).instanceId));
    expect(staleDrains).toEqual([]);
    const refusals = await Promise.all(
      suite.system.replicas('fleet-agent').map(async (agent) => (await scrape(agent.metricsUrl!)).sum('daemonfleet_commands_handled_total', { command: Subjects.fleet.startInstanceDrains, outcome: ErrorCode.StaleFencingToken })),
    );
    expect(refusals.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
  });

  /** The fleet agent that appended the most fleet events: the one most likely to hold work in hand. */
  async function busiestFleetAgent(): Promise<ServiceProcess> {
    const agents = await Promise.all(
      suite.system.replicas('fleet-agent').map(async (agent) => ({ agent, appended: (await scrape(agent.metricsUrl!)).sum('daemonfleet_events_appended_total') })),
    );
    return agents.sort((a, b) => b.appended - a.appended)[0].agent;
  }
});

// Helpers and fixtures last.

/** A load balancer in front of the gateways: each request goes to the next one. */
function roundRobin(clients: JsonClient[]): JsonClient {
  let next = 0;
  const pick = () => clients[next++ % clients.length];
  return {
    baseUrl: clients[0].baseUrl,
    get: (path) => pick().get(path),
    post: (path, body, headers) => pick().post(path, body, headers),
    put: (path, body) => pick().put(path, body),
    patch: (path, body) => pick().patch(path, body),
    delete: (path) => pick().delete(path),
  };
}

async function untilDrained(w: FleetWorld, atLeast: number): Promise<void> {
  await eventually(async () => expect((await w.fleetEvents()).filter((e) => e.type === 'InstanceDrainStarted').length).toBeGreaterThanOrEqual(atLeast), {
    timeoutMs: 30_000,
    intervalMs: 10,
    what: `${atLeast} instance(s) of ${w.cluster} draining`,
  });
}
