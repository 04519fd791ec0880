import { describe } from 'vitest';
import { embeddedSuite } from './testing/embedded-suite.js';
import { jsonClient } from './testing/http-client.js';
import { replayScenarios } from './testing/replay.scenario.js';

describe('replay and time travel in embedded mode', () => {
  const suite = embeddedSuite('daemonfleet-replay-', { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' });

  replayScenarios(() => ({ client: jsonClient(suite.system.url), store: suite.system.eventStore }));
});
