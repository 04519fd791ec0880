import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

/**
 * Records the golden deployment streams (apps/api-gateway/src/replay/__fixtures__/golden) from a running system:
 * `npm run record:golden-streams`. Never part of the test run: recording replaces what the golden tests check.
 */
export default defineConfig({
  ...sharedConfig,
  test: { ...sharedConfig.test, name: 'golden-recorder', root: fileURLToPath(new URL('.', import.meta.url)), include: ['src/**/*.recorder.ts'], testTimeout: 120_000 },
});
