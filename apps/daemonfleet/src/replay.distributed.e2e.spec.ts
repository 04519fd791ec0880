import { randomUUID } from 'node:crypto';
import { connectJetStreamEventStore, type JetStreamEventStore } from '@daemonfleet/event-store';
import { withCurrentEventSchemas } from '@daemonfleet/service-runtime';
import { describeWithNats, natsForTests, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll } from 'vitest';
import { startDistributedSystem, type DistributedSystem } from './testing/distributed-system.js';
import { jsonClient } from './testing/http-client.js';
import { replayScenarios } from './testing/replay.scenario.js';

/** Replay and time travel in distributed mode: each service its own process, the store a JetStream stream. */
describeWithNats('replay and time travel in distributed mode', () => {
  let nats: NatsForTests;
  let system: DistributedSystem;
  let store: JetStreamEventStore;

  beforeAll(async () => {
    nats = await natsForTests();
    const streamName = `DF_REPLAY_${randomUUID().slice(0, 8)}`;
    system = await startDistributedSystem({ natsUrl: nats.url, streamName, env: { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' } });
    store = await connectJetStreamEventStore({ servers: [nats.url], streamName });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await system?.close();
    await nats?.dispose();
  });

  // The store as the services read it: every event at its current schema version.
  replayScenarios(() => ({ client: jsonClient(system.url), store: withCurrentEventSchemas(store) }));
});
