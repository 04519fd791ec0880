import { randomUUID } from 'node:crypto';
import { Streams, type Scope } from '@daemonfleet/contracts';
import { metricDataBatches, metricSeriesKey } from '@daemonfleet/domain';
import { createMemoryEventStore, type EventStore, type MemoryEventStore } from '@daemonfleet/event-store';
import { eventually } from '@daemonfleet/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MetricWindows } from './metric-windows.js';

/** The windows over a real in-memory store: loads and the subscription meet without a gap or a double. */
describe('MetricWindows', () => {
  let store: MemoryEventStore;
  let windows: MetricWindows;
  // The windows' clock stands still: ranges are measured from this instant.
  const now = Date.now();
  const clock = { now: () => now };
  beforeEach(() => {
    store = createMemoryEventStore();
  });
  afterEach(async () => {
    await windows?.beforeApplicationShutdown();
    await store.close();
  });

  it('loads what was stored before a series is watched, adds what comes after, each data point once', async () => {
    await put(store, [[3_000, 1], [2_000, 2]]);
    windows = await started(store);
    await put(store, [[1_500, 3]]);
    const head = await store.headPosition();
    await eventually(() => expect(windows.dataPosition).toBe(head));

    const key = windows.watch(scope, metric, 10_000);
    await put(store, [[1_000, 4]]);
    expect(await windows.ready(key)).toBe(true);
    await eventually(() => expect(values(windows, key)).toEqual([1, 2, 3, 4]));
    expect(key).toBe(metricSeriesKey(scope, { ...metric, dimensions: [...metric.dimensions].reverse() }));
  });

  it('keeps the range asked for, and loads again, once, for a longer one', async () => {
    await put(store, [[9_000, 1], [4_000, 2], [1_000, 3]]);
    windows = await started(store);
    const key = windows.watch(scope, metric, 5_000);
    await windows.ready(key);
    expect(values(windows, key)).toEqual([2, 3]);
    windows.watch(scope, metric, 10_000);
    await windows.ready(key);
    expect(values(windows, key)).toEqual([1, 2, 3]);
  });

  it('tries a failed load again, and says it is not ready meanwhile', async () => {
    await put(store, [[1_000, 7]]);
    let failures = 1;
    const flaky: EventStore = Object.create(store, {
      readStream: { value: (...args: Parameters<EventStore['readStream']>) => (failures-- > 0 ? Promise.reject(new Error('store unavailable')) : store.readStream(...args)) },
    });
    windows = await started(flaky);
    const key = windows.watch(scope, metric, 5_000);
    expect(await windows.ready(key)).toBe(false);
    expect(await windows.ready(key)).toBe(true);
    expect(values(windows, key)).toEqual([7]);
  });

  const values = (of: MetricWindows, key: string) => of.datapoints(key, now).map((point) => point.value);

  async function started(on: EventStore): Promise<MetricWindows> {
    const started = new MetricWindows(on, clock);
    await started.onModuleInit();
    return started;
  }

  async function put(on: EventStore, points: ReadonlyArray<[agoMs: number, value: number]>): Promise<void> {
    const data = points.map(([agoMs, value]) => ({ ...metric, value, timestamp: (now - agoMs) / 1000 }));
    for (const { bucket, event } of metricDataBatches(metric.namespace, data, now)) {
      const metadata = { eventId: randomUUID(), occurredAt: new Date(now).toISOString(), schemaVersion: 1 };
      await on.appendToStream(Streams.metricData(scope, metric.namespace, bucket), [{ ...event, metadata }], { expectedVersion: 'any' });
    }
  }
});

// Fixtures last.
const scope: Scope = { accountId: '000000000000', region: 'us-east-1' };
const metric = {
  namespace: 'AWS/ECS',
  metricName: 'CPUUtilization',
  dimensions: [
    { name: 'ServiceName', value: 'daemon:monitor' },
    { name: 'ClusterName', value: 'prod' },
  ],
};
