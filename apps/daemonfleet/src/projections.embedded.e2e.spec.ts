import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ServiceConfig } from '@daemonfleet/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedSystem, type EmbeddedSystem } from './embedded-system.js';
import { jsonClient, type Json } from './testing/http-client.js';
import { collectAnswers, rebuildDuringActivity, rebuildProjections, untilQuiet } from './testing/projections.scenario.js';

/**
 * Projections rebuilt from the store in embedded mode: wiped and rebuilt while deployments roll, they answer the
 * same at rest as before; `npm run rebuild-projections` writes read models that a restarted system takes up and
 * that answer the same again; and a system started without them rebuilds them from the store.
 */
describe('projections rebuilt from the store in embedded mode', () => {
  let dataDir: string;
  let config: ServiceConfig;
  let system: EmbeddedSystem | undefined;
  let clusters: string[];
  let atRest: Record<string, Json>;
  const client = () => jsonClient(system!.url);
  const restart = async () => {
    await system?.close();
    system = await startEmbeddedSystem(config, { host: '127.0.0.1' });
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'daemonfleet-projections-'));
    // No metrics from the fleet: at rest the store does not move, so answers can be compared.
    config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100', METRICS_PERIOD_SECONDS: '86400' });
    await restart();
  });
  afterAll(async () => {
    await system?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rebuilds the read models while deployments roll and roll back, answering throughout, and the same as before once at rest', async () => {
    const run = await rebuildDuringActivity(client(), system!.eventStore, 'proj');
    clusters = run.clusters;
    expect(run.reads).toBeGreaterThan(3);
    expect(run.reports).toHaveLength(3);
    for (const report of run.reports) expect(report).toMatchObject({ eventsFolded: report.position, durationMs: expect.any(Number) });
    expect(run.reports.map((report) => report.position)).toEqual([...run.reports.map((report) => report.position)].sort((x, y) => x - y));

    atRest = await collectAnswers(client(), clusters);
    expect(Object.keys(atRest).length).toBeGreaterThan(40);
    expect(Object.values(atRest).every((answer) => answer.status === 200)).toBe(true);
    const head = await system!.eventStore.headPosition();
    const { body: report } = await client().post('/v1/projections/rebuild', {});
    expect(report).toMatchObject({ position: head, eventsFolded: head });
    expect(await collectAnswers(client(), clusters)).toEqual(atRest);
  });

  it('writes rebuilt read models with npm run rebuild-projections; a restarted system takes them up and answers the same', async () => {
    const head = await untilQuiet(system!.eventStore);
    await system!.close();
    system = undefined;
    const run = await rebuildProjections({ DATA_DIR: dataDir });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Rebuilt the read models from ${head} events (up to position ${head})`);
    expect(run.stdout).toMatch(/2 clusters, 2 capacity providers, .*2 daemons, 4 daemon deployments, 2 services, .*1 alarm\./);
    const snapshot = join(dataDir, 'projections', 'api-gateway.sqlite-events.v8');
    expect(existsSync(snapshot)).toBe(true);

    await restart();
    expect((await client().get('/v1/projections')).body).toMatchObject({ position: head, caughtUp: true, startedFrom: { source: 'snapshot', position: head } });
    expect(await collectAnswers(client(), clusters)).toEqual(atRest);
  });

  it('rebuilds them from the store on start when they are missing', async () => {
    await system!.close();
    system = undefined;
    rmSync(join(dataDir, 'projections'), { recursive: true, force: true });
    await restart();
    expect((await client().get('/v1/projections')).body).toMatchObject({ caughtUp: true, startedFrom: { source: 'store' } });
    expect(await collectAnswers(client(), clusters)).toEqual(atRest);
  });

  it('refuses to rebuild from a DATA_DIR that holds no event store, and says which', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'daemonfleet-no-store-'));
    const run = await rebuildProjections({ DATA_DIR: empty });
    rmSync(empty, { recursive: true, force: true });
    expect(run).toMatchObject({ code: 1, stderr: `rebuild-projections: no event store at ${join(empty, 'events.sqlite')}: set DATA_DIR to the embedded system's (or NATS_URL for distributed mode)\n` });
  });
});
