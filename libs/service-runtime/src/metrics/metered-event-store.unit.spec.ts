import { createMemoryEventStore, WrongExpectedVersionError, type NewEvent } from '@daemonfleet/event-store';
import { eventually } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { meteredEventStore } from './metered-event-store.js';
import { ServiceMetrics } from './service-metrics.js';

describe('meteredEventStore', () => {
  it('counts the events appended, by category', async () => {
    const { store, value } = setUp();
    await store.appendToStream('daemon-a', [event(), event()], { expectedVersion: 'no_stream' });
    await store.appendToStream('alarm-b', [event()], { expectedVersion: 'any' });
    expect(await value('daemonfleet_events_appended_total', { category: 'daemon' })).toBe(2);
    expect(await value('daemonfleet_events_appended_total', { category: 'alarm' })).toBe(1);
  });

  it('counts an append refused by optimistic concurrency as a conflict, and rethrows it unchanged', async () => {
    const { store, value } = setUp();
    await store.appendToStream('daemon-a', [event()], { expectedVersion: 'no_stream' });
    await expect(store.appendToStream('daemon-a', [event()], { expectedVersion: 0 })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await value('daemonfleet_append_conflicts_total', { category: 'daemon' })).toBe(1);
    expect(await value('daemonfleet_events_appended_total', { category: 'daemon' })).toBe(1);
  });

  it('counts each event a subscription handled once, however often its handler failed first', async () => {
    const { store, value } = setUp();
    await store.appendToStream('daemon-a', [event(), event()], { expectedVersion: 'no_stream' });
    let failures = 1;
    const durable = await store.subscribe({ name: 'reactions' }, () => {
      if (failures-- > 0) throw new Error('not yet');
    });
    const ephemeral = await store.subscribe({}, () => undefined);
    await eventually(async () => {
      expect(await value('daemonfleet_events_consumed_total', { subscription: 'reactions', category: 'daemon' })).toBe(2);
      expect(await value('daemonfleet_events_consumed_total', { subscription: 'ephemeral', category: 'daemon' })).toBe(2);
    });
    await durable.stop();
    await ephemeral.stop();
  });
});

// Fixtures last.
function setUp() {
  const metrics = new ServiceMetrics({ service: 'test' });
  const store = meteredEventStore(createMemoryEventStore({ handlerRetry: { initialDelayMs: 1, maxDelayMs: 1 } }), metrics);
  const value = async (name: string, labels: Record<string, string>) => {
    const metric = await metrics.registry.getSingleMetric(name)!.get();
    return metric.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
  };
  return { store, value };
}

let ids = 0;
const event = (): NewEvent => ({ type: 'Happened', data: {}, metadata: { eventId: `e${++ids}`, occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 } });
