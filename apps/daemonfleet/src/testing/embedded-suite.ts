import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@daemonfleet/service-runtime';
import { afterAll, beforeAll } from 'vitest';
import { startEmbeddedSystem, type EmbeddedSystem } from '../embedded-system.js';

/** What a suite of embedded-mode tests shares: the system, in the test process, on a DATA_DIR of its own. */
export interface EmbeddedSuite {
  readonly system: EmbeddedSystem;
}

/**
 * Starts the system in this process before the suite's tests, on a free port of 127.0.0.1 and a temporary DATA_DIR
 * named from `dataDirPrefix`; stops it and removes the directory after. `system` is set once `beforeAll` has run
 * (read it inside tests, hooks and scenario callbacks, never at collection). `env` goes over LOG_LEVEL=warn.
 */
export function embeddedSuite(dataDirPrefix: string, env: Record<string, string>): EmbeddedSuite {
  const suite = {} as { system: EmbeddedSystem };
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), dataDirPrefix));
    suite.system = await startEmbeddedSystem(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...env }), { host: '127.0.0.1' });
  });
  afterAll(async () => {
    await suite.system?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return suite;
}
