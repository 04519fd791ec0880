import { withCurrentEventSchemas } from '@daemonfleet/service-runtime';
import { describeWithNats } from '@daemonfleet/testing';
import { distributedSuite } from './testing/distributed-suite.js';
import { jsonClient } from './testing/http-client.js';
import { replayScenarios } from './testing/replay.scenario.js';

/** Replay and time travel in distributed mode: each service its own process, the store a JetStream stream. */
describeWithNats('replay and time travel in distributed mode', () => {
  const suite = distributedSuite('DF_REPLAY', { env: { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' } });

  // The store as the services read it: every event at its current schema version.
  replayScenarios(() => ({ client: jsonClient(suite.system.url), store: withCurrentEventSchemas(suite.store) }));
});
