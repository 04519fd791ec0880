import { randomUUID } from 'node:crypto';
import { connectJetStreamEventStore, type JetStreamEventStore } from '@daemonfleet/event-store';
import { natsForTests, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll } from 'vitest';
import { startDistributedSystem, type DistributedSystem } from './distributed-system.js';

/** What a suite of distributed-mode tests shares: its own nats-server, the four services, and a view of the store. */
export interface DistributedSuite {
  readonly nats: NatsForTests;
  readonly system: DistributedSystem;
  readonly store: JetStreamEventStore;
}

/**
 * Starts a nats-server and the system as processes before the suite's tests and stops them after: the fields of
 * the answer are set once `beforeAll` has run (read them inside tests and scenario callbacks, never at collection).
 * Each suite gets its own stream, named from `streamPrefix`.
 */
export function distributedSuite(streamPrefix: string, env: Record<string, string>): DistributedSuite {
  const suite = {} as { nats: NatsForTests; system: DistributedSystem; store: JetStreamEventStore };
  beforeAll(async () => {
    suite.nats = await natsForTests();
    const streamName = `${streamPrefix}_${randomUUID().slice(0, 8)}`;
    suite.system = await startDistributedSystem({ natsUrl: suite.nats.url, streamName, env });
    suite.store = await connectJetStreamEventStore({ servers: [suite.nats.url], streamName });
  }, 60_000);
  afterAll(async () => {
    await suite.store?.close();
    await suite.system?.close();
    await suite.nats?.dispose();
  });
  return suite;
}
