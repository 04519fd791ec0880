import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { Streams, type DaemonTaskFailedToStart, type MessageMeta, type PlannedDaemonTask, type PutMetricDataDto, type RequestOf, type Subject } from '@daemonfleet/contracts';
import { createMemoryEventStore, type MemoryEventStore, type NewEvent } from '@daemonfleet/event-store';
import { createRpcClient, InProcessBus, type RpcClient } from '@daemonfleet/messaging';
import { loadConfig, randomIds, systemClock } from '@daemonfleet/service-runtime';
import { eventually } from '@daemonfleet/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleetAgent } from '../index.js';
import { managedInstancesProvider, placeDaemon, prefix, scope } from '../testing/fleet-agent-harness.js';

/**
 * The fleet agent publishing its daemons' metrics to an alarm monitor faked on the bus, which records every
 * PutMetricData. TIME_SCALE 600: a metrics period of 60 simulated seconds lasts 100 ms.
 */
describe('fleet agent: the daemons’ metrics', () => {
  let store: MemoryEventStore;
  let app: INestMicroservice;
  let client: RpcClient;
  let agent: PlannedDaemonTask;
  const published: { data: PutMetricDataDto; meta: MessageMeta }[] = [];
  const refused: { data: PutMetricDataDto; meta: MessageMeta }[] = [];
  let monitorAnswers = true;

  beforeAll(async () => {
    store = createMemoryEventStore();
    agent = await placeDaemon(store, 'prod', 'agent', ['prod-mi']);
    await placeDaemon(store, 'prod', 'logs', ['prod-mi']);
    await store.appendToStream(Streams.daemonTaskDefinitionFamily(scope, 'agent'), [registered('agent', [{ name: 'DAEMONFLEET_SIMULATED_CPU_PERCENT', value: '90' }])], {
      expectedVersion: 'any',
    });
    const bus = new InProcessBus();
    bus.subscribe('alarms.command.PutMetricData', 'alarm-monitor', (raw) => {
      const packet = raw as { id: string; data: { data: PutMetricDataDto; meta: MessageMeta } };
      (monitorAnswers ? published : refused).push(packet.data);
      if (!monitorAnswers) return { id: packet.id, err: { code: 'SERVICE_UNAVAILABLE', message: 'the alarm monitor is down' }, isDisposed: true };
      return { id: packet.id, response: { result: { accepted: packet.data.data.metricData.length }, position: 0 }, isDisposed: true };
    });
    const transport = { kind: 'in-process' as const, bus };
    const config = loadConfig({ LOG_LEVEL: 'warn', TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' });
    app = await startFleetAgent({ processName: 'fleet-agent', config, eventStore: store, transport, clock: systemClock, ids: randomIds });
    client = createRpcClient(transport, { defaultTimeoutMs: 10_000 });
    await send('fleet.command.CreateCluster', { clusterName: 'prod' });
    await send('fleet.command.CreateCapacityProvider', managedInstancesProvider('prod', 'prod-mi'));
    await send('fleet.command.AddInstances', { capacityProvider: 'prod-mi', count: 2 });
  });
  afterAll(async () => {
    await client?.close();
    await app?.close();
    await store?.close();
  });

  it('publishes each daemon’s CPU, from its task definition’s environment or the baseline, and its failed starts, every period', async () => {
    const call = await eventually(
      () => {
        const last = published.at(-1);
        expect(values(last, 'CPUUtilization')).toEqual({ 'daemon:agent': 90, 'daemon:logs': 25 });
        return last!;
      },
      { what: 'the daemons’ CPU, once their tasks run' },
    );
    expect(values(call, 'DaemonTaskStartFailures')).toEqual({ 'daemon:agent': 0, 'daemon:logs': 0 });
    expect(call.data).toMatchObject({ namespace: 'AWS/ECS', clientToken: expect.stringMatching(/^fleet-metrics\.000000000000\.us-east-1\.\d+\.0$/) });
    expect(call.data.metricData[0]).toMatchObject({ dimensions: [{ name: 'ClusterName', value: 'prod' }, { name: 'ServiceName', value: 'daemon:agent' }], unit: 'Count' });
    expect(call.meta.scope).toEqual(scope);
    // Stamped at the start of its period: periods are aligned on multiples of 100 ms.
    for (const { timestamp } of call.data.metricData) expect(Math.round(timestamp! * 1000) % 100).toBe(0);
    const count = published.length;
    await eventually(() => expect(published.length).toBeGreaterThanOrEqual(count + 2), { what: 'two more periods' });
  });

  it('reports every failed start once, even those recorded while the alarm monitor did not answer', async () => {
    monitorAnswers = false;
    const before = published.length;
    await recordFailedStarts(2);
    await eventually(() => expect(refused.some((call) => values(call, 'DaemonTaskStartFailures')['daemon:agent'] === 2)).toBe(true), {
      what: 'a report of the failed starts to be refused',
    });
    monitorAnswers = true;
    await recordFailedStarts(1);
    await eventually(
      () => {
        const reported = published.slice(before).map((call) => values(call, 'DaemonTaskStartFailures')['daemon:agent'] ?? 0);
        expect(reported.reduce((sum, value) => sum + value, 0)).toBe(3);
        expect(reported.at(-1)).toBe(0);
      },
      { what: 'the failed starts to be reported' },
    );
  });

  function send<S extends Subject>(subject: S, data: RequestOf<S>) {
    return client.request(subject, { data, meta: { correlationId: randomUUID(), scope, principalArn: `arn:aws:iam::${scope.accountId}:user/test` } });
  }

  /** Failed starts as the fleet records them (on an instance gone since: the fleet itself is not the subject here). */
  async function recordFailedStarts(count: number): Promise<void> {
    const failedAt = Date.now();
    const failed = (attempt: number): DaemonTaskFailedToStart => ({
      type: 'DaemonTaskFailedToStart',
      data: { instanceId: 'i-0gone0000000000', taskArn: `${prefix}:task/prod/${randomUUID()}`, daemon: agent, failureType: 'TASK_FAILED_TO_RUN', reason: 'injected', attempt, failedAt, retryAt: failedAt + 1_000 },
    });
    await store.appendToStream(Streams.capacityProvider(scope, 'prod-mi'), Array.from({ length: count }, (_, n) => withMetadata(failed(n + 1))), { expectedVersion: 'any' });
  }
});

/** A call's values of one metric, by ServiceName. */
function values(call: { data: PutMetricDataDto } | undefined, metricName: string): Record<string, number> {
  const data = call?.data.metricData.filter((datum) => datum.metricName === metricName) ?? [];
  return Object.fromEntries(data.map((datum) => [datum.dimensions!.find((d) => d.name === 'ServiceName')!.value, datum.value]));
}

function registered(family: string, environment: { name: string; value: string }[]) {
  return withMetadata({
    type: 'DaemonTaskDefinitionRegistered',
    data: {
      daemonTaskDefinitionArn: `${prefix}:daemon-task-definition/${family}:1`,
      family,
      revision: 1,
      definition: { containerDefinitions: [{ name: family, image: `public.ecr.aws/example/${family}:1`, essential: true, environment }], volumes: [], tags: [] },
      registeredAt: Date.now(),
      registeredBy: `arn:aws:iam::${scope.accountId}:user/test`,
    },
  });
}

function withMetadata(event: { type: string; data: object }): NewEvent {
  return { ...event, metadata: { eventId: randomUUID(), occurredAt: new Date().toISOString(), correlationId: 'test', schemaVersion: 1 } };
}
