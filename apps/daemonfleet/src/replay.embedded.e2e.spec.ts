import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@daemonfleet/service-runtime';
import { afterAll, beforeAll, describe } from 'vitest';
import { startEmbeddedSystem, type EmbeddedSystem } from './embedded-system.js';
import { jsonClient } from './testing/http-client.js';
import { replayScenarios } from './testing/replay.scenario.js';

describe('replay and time travel in embedded mode', () => {
  let dataDir: string;
  let system: EmbeddedSystem;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'daemonfleet-replay-'));
    system = await startEmbeddedSystem(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' }), { host: '127.0.0.1' });
  });
  afterAll(async () => {
    await system?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  replayScenarios(() => ({ client: jsonClient(system.url), store: system.eventStore }));
});
