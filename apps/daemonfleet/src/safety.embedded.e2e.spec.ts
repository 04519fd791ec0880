import { describe } from 'vitest';
import { embeddedSuite } from './testing/embedded-suite.js';
import { jsonClient } from './testing/http-client.js';
import { safetyScenarios } from './testing/safety.scenario.js';

describe("the deployment's guards in embedded mode", () => {
  // A simulated minute passes in 0.1 s.
  const suite = embeddedSuite('daemonfleet-safety-', { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' });

  safetyScenarios(() => ({ client: jsonClient(suite.system.url), store: suite.system.eventStore }));
});
