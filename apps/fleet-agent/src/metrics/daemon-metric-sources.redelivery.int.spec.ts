import { randomUUID } from 'node:crypto';
import { Streams, type DaemonTaskFailedToStart } from '@daemonfleet/contracts';
import { connectJetStreamEventStore, type JetStreamEventStore } from '@daemonfleet/event-store';
import { describeWithNats, eventually, natsForTests, tapSubscriptions, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { placeDaemon, prefix, scope, withMetadata } from '../testing/fleet-agent-harness.js';
import { DaemonMetricSources } from './daemon-metric-sources.js';

/**
 * Issue 7 (e) for the failed daemon task starts the fleet agent reports (the DaemonTaskStartFailures metric, which
 * alarms watch): its subscription on the JetStream store delivers each event again after the next one
 * (tapSubscriptions), as the port allows. A failed start delivered twice must be reported once: twice, it could
 * fire an alarm and roll a deployment back.
 */
describeWithNats('fleet agent: failed starts delivered more than once', () => {
  let nats: NatsForTests;
  let store: JetStreamEventStore;
  beforeAll(async () => {
    nats = await natsForTests();
    const id = randomUUID().replace(/-/g, '').slice(0, 12);
    store = await connectJetStreamEventStore({ servers: nats.url, streamName: `DMS_${id}`, subjectPrefix: `dms${id}.events` });
  });
  afterAll(async () => {
    await store?.close();
    await nats?.dispose();
  });

  it('reports each failed start once, however many times it is delivered', async () => {
    const agent = await placeDaemon(store, 'prod', 'agent', ['prod-mi']);
    const tapped = tapSubscriptions(store, { redeliver: () => true });
    const sources = new DaemonMetricSources(tapped.store, { now: () => 0 });
    await sources.onModuleInit();
    try {
      const failed = (attempt: number): DaemonTaskFailedToStart => ({
        type: 'DaemonTaskFailedToStart',
        data: { instanceId: 'i-0gone0000000000', taskArn: `${prefix}:task/prod/${randomUUID()}`, daemon: agent, failureType: 'TASK_FAILED_TO_RUN', reason: 'injected', attempt, failedAt: attempt, retryAt: 1_000 },
      });
      // Two appends: the first failure is delivered again after the second.
      for (const attempt of [1, 2]) await store.appendToStream(Streams.capacityProvider(scope, 'prod-mi'), [withMetadata(failed(attempt))], { expectedVersion: 'any' });
      await eventually(() => expect(tapped.deliveries.filter((d) => d.replayed && d.event.type === 'DaemonTaskFailedToStart').length).toBeGreaterThanOrEqual(2), {
        what: 'the failed starts delivered again',
      });

      expect(sources.takeFailures(10)).toEqual(new Map([[agent.daemonArn, [1, 2]]]));
      expect(sources.takeFailures(10)).toEqual(new Map());
    } finally {
      await sources.beforeApplicationShutdown();
    }
  });
});
