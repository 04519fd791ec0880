import { EVENT_SCHEMA_HISTORY } from '@daemonfleet/contracts';
import { EventSchemas, UpcastingEventStore, type EventStore } from '@daemonfleet/event-store';

/** The system's event schema versions (libs/contracts event-schemas.ts): what writers stamp and readers upcast to. */
export const eventSchemas = new EventSchemas(EVENT_SCHEMA_HISTORY);

/** The store as every service reads it: each event at its type's current schema version. */
export function withCurrentEventSchemas(store: EventStore): EventStore {
  return new UpcastingEventStore(store, eventSchemas);
}
