import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithNats } from '@daemonfleet/testing';
import { expect, it } from 'vitest';
import { distributedSuite } from './testing/distributed-suite.js';
import { jsonClient, type Json } from './testing/http-client.js';
import { collectAnswers, rebuildDuringActivity, rebuildProjections, untilQuiet } from './testing/projections.scenario.js';

/**
 * Projections rebuilt from the store in distributed mode, over JetStream, with two gateway replicas: the first is
 * rebuilt while deployments roll; at rest it answers exactly as the second, which never rebuilt. Then
 * `npm run rebuild-projections` rebuilds both and writes a snapshot of the stream that a third gateway takes up.
 */
describeWithNats('projections rebuilt from the store in distributed mode', () => {
  const suite = distributedSuite('DF_PROJ', {
    env: { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100', METRICS_PERIOD_SECONDS: '86400' },
    replicas: { 'api-gateway': 2 },
    dataDirPrefix: 'daemonfleet-projections-',
  });
  let clusters: string[];
  let atRest: Record<string, Json>;

  it('rebuilds one gateway while deployments roll and roll back; at rest it answers exactly as the gateway that never rebuilt', async () => {
    const [rebuilt, untouched] = suite.system.gatewayUrls.map(jsonClient);
    const run = await rebuildDuringActivity(rebuilt, suite.store, 'dproj');
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
    const head = await untilQuiet(suite.store);
    const snapshotDir = mkdtempSync(join(tmpdir(), 'daemonfleet-projections-tool-'));
    try {
      const run = await rebuildProjections({ NATS_URL: suite.nats.url, EVENT_STREAM: suite.streamName, DATA_DIR: snapshotDir }, suite.system.gatewayUrls.flatMap((url) => ['--gateway', url]));
      expect(run).toMatchObject({ code: 0, stderr: '' });
      for (const url of suite.system.gatewayUrls) expect(run.stdout).toContain(`Gateway ${url}: rebuilt its read models from `);
      expect(run.stdout).toContain(`Event store: JetStream stream ${suite.streamName} at ${suite.nats.url}`);
      expect(run.stdout).toContain(`(up to position ${head})`);
      expect(existsSync(join(snapshotDir, 'projections', `api-gateway.jetstream-${suite.streamName}.v8`))).toBe(true);
      for (const url of suite.system.gatewayUrls) expect(await collectAnswers(jsonClient(url), clusters)).toEqual(atRest);

      const third = jsonClient((await suite.system.startReplica('api-gateway', { DATA_DIR: snapshotDir })).url!);
      expect((await third.get('/v1/projections')).body).toMatchObject({ position: head, startedFrom: { source: 'snapshot', position: head } });
      expect(await collectAnswers(third, clusters)).toEqual(atRest);
    } finally {
      rmSync(snapshotDir, { recursive: true, force: true });
    }
  });
});
