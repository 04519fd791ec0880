import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { expect, it } from 'vitest';
import { eventually } from './eventually.js';
import { startNatsCluster } from './nats-cluster.js';
import { describeWithNats } from './nats-suite.js';

describeWithNats(
  'startNatsCluster',
  () => {
    it('starts three routed JetStream nodes that keep an R3 stream through the loss and return of one', async () => {
      const cluster = await startNatsCluster(3);
      try {
        const nc = await connect({ servers: cluster.urls.split(','), reconnectTimeWait: 100, maxReconnectAttempts: -1 });
        const jsm = await jetstreamManager(nc);
        await jsm.streams.add({ name: 'R3', subjects: ['r3.>'], num_replicas: 3 });
        const js = jsm.jetstream();
        for (let i = 0; i < 5; i++) await js.publish('r3.a', `m${i}`);

        await cluster.nodes[2].kill();
        await eventually(async () => expect((await js.publish('r3.a', 'while one is down')).seq).toBe(6), { timeoutMs: 20_000 });
        await cluster.nodes[2].start();
        await cluster.ready();
        for (const node of cluster.nodes) {
          await eventually(async () => {
            const jsz = (await (await fetch(`${node.monitorUrl}/jsz?streams=true`)).json()) as JszStreams;
            const stream = jsz.account_details?.flatMap((a) => a.stream_detail ?? []).find((s) => s.name === 'R3');
            expect(stream?.state.last_seq).toBe(6);
          }, { timeoutMs: 20_000, what: `${node.name} to hold the stream's 6 messages` });
        }
        await nc.close();
      } finally {
        await cluster.dispose();
      }
    });
  },
  { needsBinary: true },
);

interface JszStreams {
  account_details?: { stream_detail?: { name: string; state: { last_seq: number } }[] }[];
}
