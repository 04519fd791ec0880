import { randomUUID } from 'node:crypto';
import { connectJetStreamEventStore, type JetStreamEventStore } from '@daemonfleet/event-store';
import { describeWithNats, natsForTests, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll } from 'vitest';
import { startDistributedSystem, type DistributedSystem } from './testing/distributed-system.js';
import { firstFlowScenario } from './testing/first-flow.scenario.js';
import { jsonClient } from './testing/http-client.js';

describeWithNats('distributed mode: four processes over a real nats-server, JetStream event store', () => {
  let nats: NatsForTests;
  let system: DistributedSystem;
  let store: JetStreamEventStore;

  beforeAll(async () => {
    nats = await natsForTests();
    const streamName = `DF_E2E_${randomUUID().slice(0, 8)}`;
    system = await startDistributedSystem({ natsUrl: nats.url, streamName, env: { RESYNC_INTERVAL_MS: '200' } });
    store = await connectJetStreamEventStore({ servers: [nats.url], streamName });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await system?.close();
    await nats?.dispose();
  });

  firstFlowScenario(() => ({ client: jsonClient(system.url), store }));
});
