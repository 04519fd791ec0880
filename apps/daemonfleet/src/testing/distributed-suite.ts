import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectJetStreamEventStore, type JetStreamEventStore } from '@daemonfleet/event-store';
import { natsForTests, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll } from 'vitest';
import { startDistributedSystem, type DistributedSystem, type Replicas } from './distributed-system.js';

/** What a suite of distributed-mode tests shares: its own nats-server, the four services, and a view of the store. */
export interface DistributedSuite {
  readonly nats: NatsForTests;
  readonly system: DistributedSystem;
  readonly store: JetStreamEventStore;
  readonly streamName: string;
}

export interface DistributedSuiteOptions {
  /** Environment of every service process, over NATS_URL, EVENT_STREAM and LOG_LEVEL=warn. */
  readonly env: Record<string, string>;
  /** Processes of each service; 1 of those not named. */
  readonly replicas?: Replicas;
  /** Gives the services a DATA_DIR of their own (a temporary directory named from this prefix), removed after the suite. */
  readonly dataDirPrefix?: string;
  /** How long starting everything may take: more replicas take longer. */
  readonly startTimeoutMs?: number;
}

/**
 * Starts a nats-server and the system as processes before the suite's tests and stops them after: the fields of
 * the answer are set once `beforeAll` has run (read them inside tests, hooks and scenario callbacks, never at
 * collection). Each suite gets its own stream, named from `streamPrefix`. A suite's own `afterAll` runs before
 * this one's (vitest runs them last registered first), while the system is still up.
 */
export function distributedSuite(streamPrefix: string, { env, replicas, dataDirPrefix, startTimeoutMs = 60_000 }: DistributedSuiteOptions): DistributedSuite {
  const suite = {} as { nats: NatsForTests; system: DistributedSystem; store: JetStreamEventStore; streamName: string };
  let dataDir: string | undefined;
  beforeAll(async () => {
    suite.nats = await natsForTests();
    suite.streamName = `${streamPrefix}_${randomUUID().slice(0, 8)}`;
    if (dataDirPrefix) dataDir = mkdtempSync(join(tmpdir(), dataDirPrefix));
    suite.system = await startDistributedSystem({ natsUrl: suite.nats.url, streamName: suite.streamName, env: dataDir ? { ...env, DATA_DIR: dataDir } : env, replicas });
    suite.store = await connectJetStreamEventStore({ servers: [suite.nats.url], streamName: suite.streamName });
  }, startTimeoutMs);
  afterAll(async () => {
    await suite.store?.close();
    await suite.system?.close();
    await suite.nats?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return suite;
}
