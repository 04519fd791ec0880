import type { Event } from '@daemonfleet/contracts';
import { createMemoryEventStore, type MemoryEventStore } from '@daemonfleet/event-store';
import { loadConfig } from '@daemonfleet/service-runtime';
import { DaemonQueries } from '../read-models/daemon.queries.js';
import { FleetQueries } from '../read-models/fleet.queries.js';
import { InstanceQueries } from '../read-models/instance.queries.js';
import { ReadModelFeed } from '../read-models/read-model-feed.js';
import { ReadModels } from '../read-models/read-models.js';
import { ServiceQueries } from '../read-models/service.queries.js';
import { T0 } from './fleet.fixtures.js';

/** The gateway's read models and queries over a real in-memory store, fed as in the gateway: by subscription. */
export interface ReadModelsHarness {
  readonly store: MemoryEventStore;
  readonly readModels: ReadModels;
  readonly fleet: FleetQueries;
  readonly instances: InstanceQueries;
  readonly daemons: DaemonQueries;
  readonly services: ServiceQueries;
  /** Appends to a stream and waits until the read models hold it, as a query would. */
  append(streamId: string, events: readonly Event[]): Promise<void>;
  close(): Promise<void>;
}

export async function startReadModels(): Promise<ReadModelsHarness> {
  const store = createMemoryEventStore();
  const readModels = new ReadModels();
  const feed = new ReadModelFeed(store, loadConfig({ READ_MODEL_WAIT_MS: '2000' }), readModels);
  await feed.onApplicationBootstrap();
  const fleet = new FleetQueries(readModels, feed);
  let eventNumber = 0;
  return {
    store,
    readModels,
    fleet,
    instances: new InstanceQueries(readModels, fleet),
    daemons: new DaemonQueries(readModels, feed, fleet),
    services: new ServiceQueries(readModels, feed),
    append: async (streamId, events) => {
      const metadata = () => ({ eventId: `event-${++eventNumber}`, occurredAt: new Date(T0).toISOString(), schemaVersion: 1 });
      await store.appendToStream(streamId, events.map((event) => ({ ...event, metadata: metadata() })), { expectedVersion: 'any' });
      await feed.fresh();
    },
    close: async () => {
      await feed.onApplicationShutdown();
      await store.close();
    },
  };
}
