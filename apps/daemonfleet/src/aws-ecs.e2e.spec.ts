import { describeWithNats } from '@daemonfleet/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { ecsClient } from './testing/aws/ecs-client.js';
import { ecsDaemonLifecycleScenarios } from './testing/aws/ecs-daemon-lifecycle.scenario.js';
import { ecsErrorScenarios } from './testing/aws/ecs-errors.scenario.js';
import { ecsFleetScenarios } from './testing/aws/ecs-fleet.scenario.js';
import { ecsHostileInputScenarios } from './testing/aws/ecs-hostile-input.scenario.js';
import { ecsProtocolScenarios } from './testing/aws/ecs-protocol.scenario.js';
import type { EcsSystem } from './testing/aws/ecs-system.js';
import { distributedSuite } from './testing/distributed-suite.js';
import { embeddedSuite } from './testing/embedded-suite.js';

describe('the official ECS client against daemonfleet, embedded mode', () => {
  // A simulated minute passes in 0.1 s.
  const suite = embeddedSuite('daemonfleet-aws-', { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' });

  ecsScenarios(ecsSystem(() => ({ url: suite.system.url, store: suite.system.eventStore })));
});

describeWithNats('the official ECS client against daemonfleet, distributed mode', () => {
  const suite = distributedSuite('DF_AWS', { env: { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' } });

  ecsScenarios(ecsSystem(() => ({ url: suite.system.url, store: suite.store })));
});

describe('hostile input to the AWS endpoint, embedded mode', () => {
  const suite = embeddedSuite('daemonfleet-aws-fuzz-', { LOG_LEVEL: 'fatal', TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' });

  ecsHostileInputScenarios(ecsSystem(() => ({ url: suite.system.url, store: suite.system.eventStore })));
});

/** What both modes must do alike: every operation, every documented error, the wire. */
function ecsScenarios(sut: () => EcsSystem): void {
  describe('daemons', () => ecsDaemonLifecycleScenarios(sut));
  describe('errors', () => ecsErrorScenarios(sut));
  describe('the fleet', () => ecsFleetScenarios(sut));
  describe('the wire', () => ecsProtocolScenarios(sut));
}

/** The official ECS client on a suite's running system: made once the system runs, destroyed after the suite's tests. */
function ecsSystem(running: () => Pick<EcsSystem, 'url' | 'store'>): () => EcsSystem {
  let sut: EcsSystem | undefined;
  beforeAll(() => {
    const { url, store } = running();
    sut = { url, ecs: ecsClient(url), store };
  });
  afterAll(() => sut?.ecs.destroy());
  return () => sut!;
}
