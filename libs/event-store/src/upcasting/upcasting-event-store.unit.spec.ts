import { describe, expect, it } from 'vitest';
import { MemoryEventLog } from '../memory/memory-event-log.js';
import { MemoryEventStore } from '../memory/memory-event-store.js';
import { eventStoreContract } from '../testing/event-store.contract.js';
import { newEvent } from '../testing/contract-fixtures.js';
import type { RecordedEvent } from '../event-store.port.js';
import { EventSchemas } from './event-schemas.js';
import { UpcastingEventStore } from './upcasting-event-store.js';

const handlerRetry = { initialDelayMs: 5, maxDelayMs: 50 };
/** The contract's own event types have no history: the wrapper must then be the store it wraps, exactly. */
const schemas = new EventSchemas({ ThingRenamed: { currentVersion: 2, upcasters: { 1: ({ name }: { name: string }) => ({ title: name }) } } });

eventStoreContract('upcasting (over memory)', async () => {
  const log = new MemoryEventLog();
  const opened: UpcastingEventStore[] = [];
  const open = () => {
    const store = new UpcastingEventStore(new MemoryEventStore({ log, handlerRetry }), schemas);
    opened.push(store);
    return store;
  };
  return {
    store: open(),
    reopen: async () => {
      await opened[opened.length - 1].close();
      return open();
    },
    openAnother: async () => open(),
    dispose: async () => {
      await Promise.all(opened.map((store) => store.close()));
    },
  };
});

describe('upcasting event store', () => {
  const v1 = () => ({ ...newEvent('ThingRenamed', { name: 'old' }), metadata: { ...newEvent().metadata, schemaVersion: 1 } });

  it('upcasts what every reader sees: readStream, readAll and subscriptions', async () => {
    const inner = new MemoryEventStore({ handlerRetry });
    const store = new UpcastingEventStore(inner, schemas);
    await store.appendToStream('thing-1', [v1()], { expectedVersion: 'no_stream' });
    const expected = { type: 'ThingRenamed', data: { title: 'old' }, metadata: expect.objectContaining({ schemaVersion: 2 }) };

    expect(await store.readStream('thing-1')).toEqual([expect.objectContaining(expected)]);
    expect(await store.readAll()).toEqual([expect.objectContaining(expected)]);
    const seen: RecordedEvent[] = [];
    const subscription = await store.subscribe({}, (event) => {
      seen.push(event);
    });
    await subscription.caughtUp;
    await subscription.stop();
    expect(seen).toEqual([expect.objectContaining(expected)]);
    // Stored as written, never rewritten.
    expect((await inner.readStream('thing-1'))[0]).toMatchObject({ data: { name: 'old' }, metadata: { schemaVersion: 1 } });
    await store.close();
  });

  it('reports a failing handler with the event as the handler saw it', async () => {
    const store = new UpcastingEventStore(new MemoryEventStore({ handlerRetry }), schemas);
    await store.appendToStream('thing-1', [v1()], { expectedVersion: 'no_stream' });
    const reported: unknown[] = [];
    let attempts = 0;
    const subscription = await store.subscribe({ onHandlerError: (_error, event) => reported.push(event.data) }, () => {
      if (++attempts === 1) throw new Error('first attempt fails');
    });
    await subscription.caughtUp;
    await subscription.stop();
    expect(reported).toEqual([{ title: 'old' }]);
    await store.close();
  });
});
