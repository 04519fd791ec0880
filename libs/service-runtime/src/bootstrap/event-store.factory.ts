import { join } from 'node:path';
import { connectJetStreamEventStore, openSqliteEventStore, type EventStore } from '@daemonfleet/event-store';
import type { ServiceConfig } from '../config/service-config.js';

/** Embedded mode keeps events in one SQLite file in DATA_DIR; distributed mode in a JetStream stream. */
export async function createEventStore(config: ServiceConfig): Promise<EventStore> {
  if (config.natsServers) return connectJetStreamEventStore({ servers: [...config.natsServers], streamName: config.eventStreamName });
  return openSqliteEventStore({ path: join(config.dataDir, 'events.sqlite') });
}
