import { describeWithNats } from '@daemonfleet/testing';
import { distributedSuite } from './testing/distributed-suite.js';
import { jsonClient } from './testing/http-client.js';
import { safetyScenarios } from './testing/safety.scenario.js';

describeWithNats("the deployment's guards in distributed mode", () => {
  const suite = distributedSuite('DF_SAFE', { env: { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' } });

  safetyScenarios(() => ({ client: jsonClient(suite.system.url), store: suite.store }));
});
