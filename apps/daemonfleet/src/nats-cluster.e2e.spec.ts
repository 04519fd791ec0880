import { randomUUID } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { connectJetStreamEventStore, type JetStreamEventStore } from '@daemonfleet/event-store';
import { describeWithNats, eventually, startNatsCluster, type RunningNatsCluster } from '@daemonfleet/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDistributedSystem, type DistributedSystem } from './testing/distributed-system.js';
import { FAST_FLEET } from './testing/fast-fleet.js';
import { allEvents } from './testing/first-flow.scenario.js';
import { FleetWorld } from './testing/fleet-world.js';
import { jsonClient } from './testing/http-client.js';
import { expectRolloutIntact } from './testing/rollout-checks.js';
import { expectStoreIntact } from './testing/store-integrity.js';

/**
 * A 3-node NATS cluster with the event stream replicated on every node (R3): losing one node, even the stream's
 * leader, in the middle of a rollout loses no event and stops nothing for longer than an election; the node rejoins
 * and catches up.
 */
describeWithNats(
  'distributed mode on a 3-node NATS cluster, the event stream at R3',
  () => {
    let cluster: RunningNatsCluster;
    let system: DistributedSystem;
    let store: JetStreamEventStore;
    let nc: NatsConnection;
    let jsm: JetStreamManager;
    const streamName = `DF_R3_${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      cluster = await startNatsCluster(3);
      system = await startDistributedSystem({
        natsUrl: cluster.urls,
        streamName,
        env: { ...FAST_FLEET, EVENT_STREAM_REPLICAS: '3', RESYNC_INTERVAL_MS: '200', EVENT_ACK_WAIT_MS: '2000', METRICS_PERIOD_SECONDS: '86400' },
        replicas: { 'deployment-orchestrator': 2, 'fleet-agent': 2 },
      });
      store = await connectJetStreamEventStore({ servers: cluster.urls.split(','), streamName });
      nc = await connect({ servers: cluster.urls.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 200 });
      jsm = await jetstreamManager(nc);
    }, 120_000);
    afterAll(async () => {
      await nc?.close();
      await store?.close();
      await system?.close();
      await cluster?.dispose();
    });

    it('creates the event stream with three replicas, one on each node', async () => {
      const info = await jsm.streams.info(streamName);
      expect(info.config.num_replicas).toBe(3);
      expect([info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((r) => r.name)].sort()).toEqual(['n1', 'n2', 'n3']);
    });

    it('finishes a rollout when the stream leader is killed in the middle of it; no event is lost; the node rejoins and catches up', async () => {
      const w = new FleetWorld(jsonClient(system.url), store, 'r3');
      await w.create();
      await w.service('web', 40);
      const { deploymentId } = await w.createDaemon('agent', { daemonTaskDefinitionArn: 'r3-agent:1', capacityProviderArns: [w.provider()], deploymentConfiguration: { drainPercent: 10 } });
      await eventually(async () => expect((await w.fleetEvents()).some((e) => e.type === 'InstanceDrainStarted')).toBe(true), { timeoutMs: 30_000 });

      const before = await allEvents(store);
      const leader = (await jsm.streams.info(streamName)).cluster!.leader!;
      const lost = cluster.nodes.find((node) => node.name === leader)!;
      await lost.kill();
      expect(before.filter((e) => e.streamId === `daemonDeployment-${deploymentId}`).map((e) => e.type)).not.toContain('DeploymentSucceeded');

      await w.watch(deploymentId, 'SUCCESSFUL', 90_000);
      await expectRolloutIntact(w, deploymentId, { service: 'web', desired: 40 });
      const after = await allEvents(store);
      expectStoreIntact(before, after);

      await lost.start();
      await cluster.ready();
      const lastSeq = (await jsm.streams.info(streamName)).state.last_seq;
      for (const node of cluster.nodes)
        await eventually(async () => expect(await streamStateOn(node.monitorUrl, streamName)).toEqual({ last_seq: lastSeq, messages: lastSeq }), {
          timeoutMs: 30_000,
          what: `${node.name} to hold all ${lastSeq} messages of the stream`,
        });
    }, 180_000);
  },
  { needsBinary: true },
);

// Helpers and fixtures last.

/** The stream's state as one node's monitoring endpoint reports it (its own copy). */
async function streamStateOn(monitorUrl: string, stream: string): Promise<{ last_seq: number; messages: number } | undefined> {
  const jsz = (await (await fetch(`${monitorUrl}/jsz?streams=true`)).json()) as {
    account_details?: { stream_detail?: { name: string; state: { last_seq: number; messages: number } }[] }[];
  };
  const state = jsz.account_details?.flatMap((a) => a.stream_detail ?? []).find((s) => s.name === stream)?.state;
  return state && { last_seq: state.last_seq, messages: state.messages };
}
