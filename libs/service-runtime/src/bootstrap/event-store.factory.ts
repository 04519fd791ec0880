import { join } from 'node:path';
import { connectJetStreamEventStore, openSqliteEventStore, type EventStore } from '@daemonfleet/event-store';
import type { ServiceConfig } from '../config/service-config.js';
import { withCurrentEventSchemas } from '../events/event-schemas.js';

/**
 * Embedded mode keeps events in one SQLite file in DATA_DIR; distributed mode in a JetStream stream. Either way
 * every reader of the store sees events upcast to their current schema version (events/event-schemas.ts).
 */
export async function createEventStore(config: ServiceConfig): Promise<EventStore> {
  if (config.natsServers)
    return withCurrentEventSchemas(
      await connectJetStreamEventStore({
        servers: [...config.natsServers],
        streamName: config.eventStreamName,
        replicas: config.eventStreamReplicas,
        ackWaitMs: config.eventAckWaitMs,
      }),
    );
  return withCurrentEventSchemas(openSqliteEventStore({ path: join(config.dataDir, 'events.sqlite') }));
}
