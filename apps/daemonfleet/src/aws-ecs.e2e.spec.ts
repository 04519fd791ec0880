import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectJetStreamEventStore, type JetStreamEventStore } from '@daemonfleet/event-store';
import { loadConfig } from '@daemonfleet/service-runtime';
import { describeWithNats, natsForTests, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { startEmbeddedSystem, type EmbeddedSystem } from './embedded-system.js';
import { startDistributedSystem, type DistributedSystem } from './testing/distributed-system.js';
import { ecsClient } from './testing/aws/ecs-client.js';
import { ecsDaemonLifecycleScenarios } from './testing/aws/ecs-daemon-lifecycle.scenario.js';
import { ecsErrorScenarios } from './testing/aws/ecs-errors.scenario.js';
import { ecsFleetScenarios } from './testing/aws/ecs-fleet.scenario.js';
import { ecsHostileInputScenarios } from './testing/aws/ecs-hostile-input.scenario.js';
import { ecsProtocolScenarios } from './testing/aws/ecs-protocol.scenario.js';
import type { EcsSystem } from './testing/aws/ecs-system.js';

describe('the official ECS client against daemonfleet, embedded mode', () => {
  let dataDir: string;
  let system: EmbeddedSystem;
  let sut: EcsSystem;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'daemonfleet-aws-'));
    // A simulated minute passes in 0.1 s.
    system = await startEmbeddedSystem(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' }), { host: '127.0.0.1' });
    sut = { url: system.url, ecs: ecsClient(system.url), store: system.eventStore };
  });
  afterAll(async () => {
    sut?.ecs.destroy();
    await system?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  ecsScenarios(() => sut);
});

describeWithNats('the official ECS client against daemonfleet, distributed mode', () => {
  let nats: NatsForTests;
  let system: DistributedSystem;
  let store: JetStreamEventStore;
  let sut: EcsSystem;

  beforeAll(async () => {
    nats = await natsForTests();
    const streamName = `DF_AWS_${randomUUID().slice(0, 8)}`;
    system = await startDistributedSystem({ natsUrl: nats.url, streamName, env: { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' } });
    store = await connectJetStreamEventStore({ servers: [nats.url], streamName });
    sut = { url: system.url, ecs: ecsClient(system.url), store };
  }, 60_000);
  afterAll(async () => {
    sut?.ecs.destroy();
    await store?.close();
    await system?.close();
    await nats?.dispose();
  });

  ecsScenarios(() => sut);
});

describe('hostile input to the AWS endpoint, embedded mode', () => {
  let dataDir: string;
  let system: EmbeddedSystem;
  let sut: EcsSystem;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'daemonfleet-aws-fuzz-'));
    system = await startEmbeddedSystem(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'fatal', TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' }), { host: '127.0.0.1' });
    sut = { url: system.url, ecs: ecsClient(system.url), store: system.eventStore };
  });
  afterAll(async () => {
    sut?.ecs.destroy();
    await system?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  ecsHostileInputScenarios(() => sut);
});

/** What both modes must do alike: every operation, every documented error, the wire. */
function ecsScenarios(sut: () => EcsSystem): void {
  describe('daemons', () => ecsDaemonLifecycleScenarios(sut));
  describe('errors', () => ecsErrorScenarios(sut));
  describe('the fleet', () => ecsFleetScenarios(sut));
  describe('the wire', () => ecsProtocolScenarios(sut));
}
