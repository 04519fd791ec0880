import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectJetStreamEventStore, type JetStreamEventStore } from '@daemonfleet/event-store';
import { describeWithNats, natsForTests, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDistributedSystem, type DistributedSystem } from './testing/distributed-system.js';
import { jsonClient, type Json } from './testing/http-client.js';
import { collectAnswers, rebuildDuringActivity, rebuildProjections, untilQuiet } from './testing/projections.scenario.js';

/**
 * Projections rebuilt from the store in distributed mode, over JetStream, with two gateway replicas: the first is
 * rebuilt while deployments roll; at rest it answers exactly as the second, which never rebuilt. Then
 * `npm run rebuild-projections` rebuilds both and writes a snapshot of the stream that a third gateway takes up.
 */
describeWithNats('projections rebuilt from the store in distributed mode', () => {
  let nats: NatsForTests;
  let system: DistributedSystem;
  let store: JetStreamEventStore;
  let streamName: string;
  let dataDir: string;
  let clusters: string[];
  let atRest: Record<string, Json>;

  beforeAll(async () => {
    nats = await natsForTests();
    streamName = `DF_PROJ_${randomUUID().slice(0, 8)}`;
    dataDir = mkdtempSync(join(tmpdir(), 'daemonfleet-projections-'));
    system = await startDistributedSystem({
      natsUrl: nats.url,
      streamName,
      env: { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100', METRICS_PERIOD_SECONDS: '86400', DATA_DIR: dataDir },
      replicas: { 'api-gateway': 2 },
    });
    store = await connectJetStreamEventStore({ servers: [nats.url], streamName });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await system?.close();
    await nats?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rebuilds one gateway while deployments roll and roll back; at rest it answers exactly as the gateway that never rebuilt', async () => {
    const [rebuilt, untouched] = system.gatewayUrls.map(jsonClient);
    const run = await rebuildDuringActivity(rebuilt, store, 'dproj');
    clusters = run.clusters;
    expect(run.reads).toBeGreaterThan(3);
    expect(run.reports.every((report) => report.eventsFolded > 0)).toBe(true);

    atRest = await collectAnswers(rebuilt, clusters);
    expect(Object.keys(atRest).length).toBeGreaterThan(40);
    expect(Object.values(atRest).every((answer) => answer.status === 200)).toBe(true);
    expect(await collectAnswers(untouched, clusters)).toEqual(atRest);
    expect((await untouched.get('/v1/projections')).body).toMatchObject({ lastRebuild: null });
  });

  it('npm run rebuild-projections rebuilds the running gateways and writes a snapshot of the stream that a new gateway takes up', async () => {
    const head = await untilQuiet(store);
    const snapshotDir = mkdtempSync(join(tmpdir(), 'daemonfleet-projections-tool-'));
    try {
      const run = await rebuildProjections({ NATS_URL: nats.url, EVENT_STREAM: streamName, DATA_DIR: snapshotDir }, system.gatewayUrls.flatMap((url) => ['--gateway', url]));
      expect(run).toMatchObject({ code: 0, stderr: '' });
      for (const url of system.gatewayUrls) expect(run.stdout).toContain(`Gateway ${url}: rebuilt its read models from `);
      expect(run.stdout).toContain(`Event store: JetStream stream ${streamName} at ${nats.url}`);
      expect(run.stdout).toContain(`(up to position ${head})`);
      expect(existsSync(join(snapshotDir, 'projections', `api-gateway.jetstream-${streamName}.v8`))).toBe(true);
      for (const url of system.gatewayUrls) expect(await collectAnswers(jsonClient(url), clusters)).toEqual(atRest);

      const third = jsonClient((await system.startReplica('api-gateway', { DATA_DIR: snapshotDir })).url!);
      expect((await third.get('/v1/projections')).body).toMatchObject({ position: head, startedFrom: { source: 'snapshot', position: head } });
      expect(await collectAnswers(third, clusters)).toEqual(atRest);
    } finally {
      rmSync(snapshotDir, { recursive: true, force: true });
    }
  });
});
