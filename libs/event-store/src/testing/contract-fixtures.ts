import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect } from 'vitest';
import type { EventStore, NewEvent, RecordedEvent } from '../event-store.port.js';

/** One store under test, with the ways the contract may restart it. */
export interface ContractStore {
  readonly store: EventStore;
  /** Closes `store` and opens the same underlying data again, as a restarted process would. */
  reopen(): Promise<EventStore>;
  /** Opens a second store on the same data, as another process would. Optional: the memory adapter shares a log. */
  openAnother?(): Promise<EventStore>;
  /** Closes every store the harness opened and removes the data. */
  dispose(): Promise<void>;
}

/**
 * Creates a fresh, empty and isolated store. Stores should use a short handler retry backoff (tens of ms):
 * the contract makes handlers fail on purpose.
 */
export type ContractFactory = () => Promise<ContractStore>;

/** The store of the running test; `store` is replaced when the test reopens it. */
export interface ContractContext {
  readonly store: EventStore;
  reopen(): Promise<EventStore>;
  openAnother: (() => Promise<EventStore>) | undefined;
}

export function useContractStore(factory: ContractFactory): ContractContext {
  let harness: ContractStore | undefined;
  let current: EventStore | undefined;
  beforeEach(async () => {
    harness = await factory();
    current = harness.store;
  });
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
    current = undefined;
  });
  const active = (): ContractStore => {
    if (!harness) throw new Error('no store: the contract context is only usable inside a test');
    return harness;
  };
  return {
    get store() {
      active();
      return current as EventStore;
    },
    reopen: async () => {
      current = await active().reopen();
      return current;
    },
    get openAnother() {
      const another = active().openAnother;
      return another ? () => another.call(harness) : undefined;
    },
  };
}

export const OCCURRED_AT = '2025-01-01T00:00:00.000Z';

/** A valid new event with a fresh id; `data` defaults to something recognisable. */
export function newEvent(type = 'ThingHappened', data: unknown = { n: 1 }): NewEvent {
  return { type, data, metadata: { eventId: randomUUID(), occurredAt: OCCURRED_AT, correlationId: 'corr-1', schemaVersion: 1 } };
}

export function newEvents(count: number, type = 'ThingHappened'): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent(type, { i }));
}

/** What a reader must get back of an appended event. */
export function contentOf(event: NewEvent | RecordedEvent): Pick<NewEvent, 'type' | 'data' | 'metadata'> {
  return { type: event.type, data: event.data, metadata: event.metadata };
}

/** A serialised event just over the 1 MiB limit. */
export function oversizedEvent(): NewEvent {
  return newEvent('HugeThingHappened', { blob: 'x'.repeat(1024 * 1024) });
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Everything observable about the store, to prove that a refused call changed nothing. */
export async function snapshotOf(store: EventStore): Promise<{ head: number; events: RecordedEvent[] }> {
  return { head: await store.headPosition(), events: await store.readAll({ maxCount: 10_000 }) };
}

export function expectStrictlyIncreasing(positions: readonly number[]): void {
  for (let i = 1; i < positions.length; i++) expect(positions[i], `position ${i}`).toBeGreaterThan(positions[i - 1]);
}
