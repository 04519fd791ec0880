import { describe } from 'vitest';
import { embeddedSuite } from './testing/embedded-suite.js';
import { jsonClient } from './testing/http-client.js';
import { rolloutScenarios } from './testing/rollout.scenario.js';

describe('rollouts in embedded mode', () => {
  // A simulated minute passes in 0.1 s.
  const suite = embeddedSuite('daemonfleet-rollout-', { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' });

  rolloutScenarios(() => ({ client: jsonClient(suite.system.url), store: suite.system.eventStore }));
});
