import { WrongExpectedVersionError, type EventStore } from '@daemonfleet/event-store';
import { categoryOf, type ServiceMetrics } from './service-metrics.js';

/**
 * The event store of a service process, counted: events appended, conflicts met by appends, and events handled by
 * each subscription (counted once the handler returned, so a retried handler counts once). Everything else passes
 * through unchanged.
 */
export function meteredEventStore(store: EventStore, metrics: ServiceMetrics): EventStore {
  return {
    async appendToStream(streamId, events, options) {
      try {
        const appended = await store.appendToStream(streamId, events, options);
        metrics.eventsAppended.inc({ category: categoryOf(streamId) }, events.length);
        return appended;
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) metrics.appendConflicts.inc({ category: categoryOf(streamId) });
        throw error;
      }
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    headPosition: () => store.headPosition(),
    subscribe(options, handler) {
      const subscription = options.name ?? 'ephemeral';
      return store.subscribe(options, async (event) => {
        await handler(event);
        metrics.eventsConsumed.inc({ subscription, category: categoryOf(event.streamId) });
      });
    },
    checkHealth: () => store.checkHealth(),
    close: () => store.close(),
  };
}
