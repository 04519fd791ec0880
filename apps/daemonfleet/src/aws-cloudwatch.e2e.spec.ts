import { describeWithNats } from '@daemonfleet/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { cloudWatchAlarmScenarios } from './testing/aws/cloudwatch-alarms.scenario.js';
import { cloudWatchClient } from './testing/aws/cloudwatch-client.js';
import { cloudWatchErrorScenarios } from './testing/aws/cloudwatch-errors.scenario.js';
import { cloudWatchHostileInputScenarios } from './testing/aws/cloudwatch-hostile-input.scenario.js';
import { cloudWatchProtocolScenarios } from './testing/aws/cloudwatch-protocol.scenario.js';
import { cloudWatchSeedScenarios } from './testing/aws/cloudwatch-seed.scenario.js';
import type { CloudWatchSystem } from './testing/aws/cloudwatch-system.js';
import { cloudWatchUnavailableScenarios } from './testing/aws/cloudwatch-unavailable.scenario.js';
import { ecsClient } from './testing/aws/ecs-client.js';
import { distributedSuite } from './testing/distributed-suite.js';
import { embeddedSuite } from './testing/embedded-suite.js';

describe('the official CloudWatch client against daemonfleet, embedded mode', () => {
  // A simulated minute passes in 0.1 s.
  const suite = embeddedSuite('daemonfleet-cloudwatch-', { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' });

  cloudWatchScenarios(cloudWatchSystem(() => ({ url: suite.system.url, store: suite.system.eventStore })));
});

describeWithNats('the official CloudWatch client against daemonfleet, distributed mode', () => {
  const suite = distributedSuite('DF_CW', { env: { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' } });
  const sut = cloudWatchSystem(() => ({ url: suite.system.url, store: suite.store }));

  cloudWatchScenarios(sut);
  // Last: it stops the alarm monitor for a while.
  describe('without an alarm monitor', () => cloudWatchUnavailableScenarios(() => ({ ...sut(), system: suite.system })));
});

describe('hostile input to the CloudWatch protocol, embedded mode', () => {
  const suite = embeddedSuite('daemonfleet-cloudwatch-fuzz-', { LOG_LEVEL: 'fatal', TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' });

  cloudWatchHostileInputScenarios(cloudWatchSystem(() => ({ url: suite.system.url, store: suite.system.eventStore })));
});

/** What both modes must do alike: every operation, every documented error, the wire, and the seed scenario. */
function cloudWatchScenarios(sut: () => CloudWatchSystem): void {
  describe('alarms and metric data', () => cloudWatchAlarmScenarios(sut));
  describe('errors', () => cloudWatchErrorScenarios(sut));
  describe('the wire', () => cloudWatchProtocolScenarios(sut));
  describe('a deployment guarded by a CloudWatch alarm', () => cloudWatchSeedScenarios(sut));
}

/** The official ECS and CloudWatch clients on a suite's running system: made once it runs, destroyed after the suite's tests. */
function cloudWatchSystem(running: () => Pick<CloudWatchSystem, 'url' | 'store'>): () => CloudWatchSystem {
  let sut: CloudWatchSystem | undefined;
  beforeAll(() => {
    const { url, store } = running();
    sut = { url, ecs: ecsClient(url), cloudWatch: cloudWatchClient(url), store };
  });
  afterAll(() => {
    sut?.ecs.destroy();
    sut?.cloudWatch.destroy();
  });
  return () => sut!;
}
