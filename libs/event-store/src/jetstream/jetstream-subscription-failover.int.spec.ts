import { randomUUID } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { describeWithNats, eventually, startNatsCluster, type NatsClusterNode, type RunningNatsCluster } from '@daemonfleet/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { RecordedEvent, SubscribeOptions, Subscription } from '../event-store.port.js';
import { newEvent } from '../testing/contract-fixtures.js';
import { connectJetStreamEventStore, type JetStreamEventStore } from './jetstream-event-store.js';

/**
 * A subscription whose NATS connection and consumer are both on the node that is lost: the client reconnects to a
 * survivor, but the consumer it was pulling from is gone with the node. nats.js cancels its heartbeat monitor on the
 * disconnect and, after the reconnect, asks after the lost consumer until it answers (which an ordered consumer on a
 * dead node never does), so neither reports missed heartbeats again: the subscription has to notice on its own and
 * open a new consumer from where it got to.
 */
describeWithNats(
  'JetStream subscriptions on a 3-node cluster losing the node they are attached to',
  () => {
    let cluster: RunningNatsCluster;
    let admin: NatsConnection;
    let jsm: JetStreamManager;
    let writer: JetStreamEventStore;
    const streamName = `SUBFO_${randomUUID().slice(0, 8)}`;
    const opened: { store: JetStreamEventStore; nc: NatsConnection; subscription: Subscription }[] = [];

    beforeAll(async () => {
      cluster = await startNatsCluster(3);
      admin = await connect({ servers: cluster.urls.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
      jsm = await jetstreamManager(admin);
      writer = await connectJetStreamEventStore({ servers: cluster.urls.split(','), streamName, replicas: 3 });
      for (let i = 0; i < 5; i++) await writer.appendToStream('thing-before', [newEvent('Before', { i })], { expectedVersion: i });
    }, 60_000);
    afterEach(async () => {
      for (const { store, nc, subscription } of opened.splice(0)) {
        await subscription.stop().catch(() => undefined);
        await store.close().catch(() => undefined);
        await nc.close().catch(() => undefined);
      }
      for (const node of cluster.nodes) if (!node.running) await node.start();
      await cluster.ready(60_000);
    }, 90_000);
    afterAll(async () => {
      await writer?.close();
      await admin?.close();
      await cluster?.dispose();
    });

    /** A store connected to `node` first (the others only for reconnecting), subscribed with `options`. */
    async function subscribeThrough(node: NatsClusterNode, options: SubscribeOptions, seen: RecordedEvent[]) {
      const others = cluster.nodes.filter((n) => n !== node).map((n) => n.url);
      const nc = await connect({ servers: [node.url, ...others], noRandomize: true, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
      const store = await connectJetStreamEventStore({ connection: nc, streamName, ackWaitMs: 2_000, onBackgroundError: () => undefined });
      const subscription = await store.subscribe(options, (event) => {
        seen.push(event);
      });
      opened.push({ store, nc, subscription });
      return subscription;
    }

    /** The node leading the consumer named like `prefix`, created after `before` (names of consumers then). */
    async function consumerLeader(before: Set<string>, prefix: string): Promise<string> {
      return eventually(
        async () => {
          const found: string[] = [];
          for await (const info of jsm.consumers.list(streamName)) if (!before.has(info.name) && info.name.startsWith(prefix)) found.push(info.cluster?.leader ?? '');
          expect(found).toHaveLength(1);
          expect(found[0]).not.toBe('');
          return found[0];
        },
        { timeoutMs: 10_000, what: `the ${prefix} consumer's leader` },
      );
    }

    async function consumerNames(): Promise<Set<string>> {
      const names = new Set<string>();
      for await (const info of jsm.consumers.list(streamName)) names.add(info.name);
      return names;
    }

    /** Appends through the writer (which knows every node) until the cluster takes it again. */
    async function appendAfterLoss(type: string, count: number): Promise<void> {
      for (let i = 0; i < count; i++)
        await eventually(() => writer.appendToStream(`thing-${type}`, [newEvent(type, { i })], { expectedVersion: 'any' }).then(() => undefined), {
          timeoutMs: 30_000,
          what: `append ${i} of ${type}`,
        });
    }

    it('an ephemeral subscription (ordered consumer) on the lost node resumes on a survivor, missing no event', async () => {
      // Subscribe through each node in turn until the ordered consumer lands on the node the connection is on.
      let lost: NatsClusterNode | undefined;
      let seen: RecordedEvent[] = [];
      for (let attempt = 0; attempt < 30 && !lost; attempt++) {
        const node = cluster.nodes[attempt % cluster.nodes.length];
        const before = await consumerNames();
        seen = [];
        const subscription = await subscribeThrough(node, { fromPosition: 1 }, seen);
        await subscription.caughtUp;
        if ((await consumerLeader(before, '')) === node.name) lost = node;
        else {
          const { store, nc } = opened.pop()!;
          await subscription.stop();
          await store.close();
          await nc.close();
        }
      }
      expect(lost, 'an ordered consumer on the node its connection is on').toBeDefined();
      await eventually(async () => expect(seen.filter((e) => e.type === 'Before')).toHaveLength(5), { timeoutMs: 10_000 });

      await lost!.kill();
      await appendAfterLoss('After', 5);
      await eventually(async () => expect(seen.filter((e) => e.type === 'After')).toHaveLength(5), { timeoutMs: 30_000, what: 'the events appended after the loss' });
      const positions = seen.map((e) => e.globalPosition);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(positions.length);
    }, 120_000);

    it('a durable subscription on the lost node (its connection and its consumer leader) goes on on a survivor', async () => {
      const name = `failover-${randomUUID().slice(0, 8)}`;
      const before = await consumerNames();
      const seen: RecordedEvent[] = [];
      // First created through any node, to learn where its consumer leads; then followed through that node (a message
      // the probe held unacknowledged comes again after the short ack wait).
      const probe = await subscribeThrough(cluster.nodes[0], { name, fromPosition: 1 }, []);
      await probe.stop();
      const leaderName = await consumerLeader(before, '');
      const lost = cluster.nodes.find((n) => n.name === leaderName)!;
      await subscribeThrough(lost, { name, fromPosition: 1 }, seen);
      // The probe may have acknowledged every earlier event: one more shows the subscription is live before the loss.
      await writer.appendToStream('thing-ready', [newEvent('Ready')], { expectedVersion: 'any' });
      await eventually(async () => expect(seen.filter((e) => e.type === 'Ready')).toHaveLength(1), { timeoutMs: 10_000 });

      await lost.kill();
      await appendAfterLoss('Durable', 5);
      await eventually(async () => expect(seen.filter((e) => e.type === 'Durable')).toHaveLength(5), { timeoutMs: 45_000, what: 'the events appended after the loss' });
    }, 120_000);
  },
  { needsBinary: true },
);
