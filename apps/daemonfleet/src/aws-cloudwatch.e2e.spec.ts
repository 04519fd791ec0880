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
import { cloudWatchAlarmScenarios } from './testing/aws/cloudwatch-alarms.scenario.js';
import { cloudWatchClient } from './testing/aws/cloudwatch-client.js';
import { cloudWatchErrorScenarios } from './testing/aws/cloudwatch-errors.scenario.js';
import { cloudWatchHostileInputScenarios } from './testing/aws/cloudwatch-hostile-input.scenario.js';
import { cloudWatchProtocolScenarios } from './testing/aws/cloudwatch-protocol.scenario.js';
import { cloudWatchSeedScenarios } from './testing/aws/cloudwatch-seed.scenario.js';
import type { CloudWatchSystem } from './testing/aws/cloudwatch-system.js';
import { cloudWatchUnavailableScenarios } from './testing/aws/cloudwatch-unavailable.scenario.js';
import { ecsClient } from './testing/aws/ecs-client.js';

describe('the official CloudWatch client against daemonfleet, embedded mode', () => {
  let dataDir: string;
  let system: EmbeddedSystem;
  let sut: CloudWatchSystem;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'daemonfleet-cloudwatch-'));
    // A simulated minute passes in 0.1 s.
    system = await startEmbeddedSystem(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' }), { host: '127.0.0.1' });
    sut = { url: system.url, ecs: ecsClient(system.url), cloudWatch: cloudWatchClient(system.url), store: system.eventStore };
  });
  afterAll(async () => {
    sut?.ecs.destroy();
    sut?.cloudWatch.destroy();
    await system?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  cloudWatchScenarios(() => sut);
});

describeWithNats('the official CloudWatch client against daemonfleet, distributed mode', () => {
  let nats: NatsForTests;
  let system: DistributedSystem;
  let store: JetStreamEventStore;
  let sut: CloudWatchSystem;

  beforeAll(async () => {
    nats = await natsForTests();
    const streamName = `DF_CW_${randomUUID().slice(0, 8)}`;
    system = await startDistributedSystem({ natsUrl: nats.url, streamName, env: { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' } });
    store = await connectJetStreamEventStore({ servers: [nats.url], streamName });
    sut = { url: system.url, ecs: ecsClient(system.url), cloudWatch: cloudWatchClient(system.url), store };
  }, 60_000);
  afterAll(async () => {
    sut?.ecs.destroy();
    sut?.cloudWatch.destroy();
    await store?.close();
    await system?.close();
    await nats?.dispose();
  });

  cloudWatchScenarios(() => sut);
  // Last: it stops the alarm monitor for a while.
  describe('without an alarm monitor', () => cloudWatchUnavailableScenarios(() => ({ ...sut, system })));
});

describe('hostile input to the CloudWatch protocol, embedded mode', () => {
  let dataDir: string;
  let system: EmbeddedSystem;
  let sut: CloudWatchSystem;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'daemonfleet-cloudwatch-fuzz-'));
    system = await startEmbeddedSystem(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'fatal', TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' }), { host: '127.0.0.1' });
    sut = { url: system.url, ecs: ecsClient(system.url), cloudWatch: cloudWatchClient(system.url), store: system.eventStore };
  });
  afterAll(async () => {
    sut?.ecs.destroy();
    sut?.cloudWatch.destroy();
    await system?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  cloudWatchHostileInputScenarios(() => sut);
});

/** What both modes must do alike: every operation, every documented error, the wire, and the seed scenario. */
function cloudWatchScenarios(sut: () => CloudWatchSystem): void {
  describe('alarms and metric data', () => cloudWatchAlarmScenarios(sut));
  describe('errors', () => cloudWatchErrorScenarios(sut));
  describe('the wire', () => cloudWatchProtocolScenarios(sut));
  describe('a deployment guarded by a CloudWatch alarm', () => cloudWatchSeedScenarios(sut));
}
