import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import type { EventSchemas } from './event-schemas.js';

/**
 * An event store whose readers see every event at its current schema version: the one place upcasting happens,
 * so every fold (aggregates, projections, the replay API) reads the same data whatever version wrote it. Appends
 * pass through unchanged: what is stored is what the writer wrote.
 */
export class UpcastingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly schemas: EventSchemas,
  ) {}

  appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamId, options)).map((event) => this.schemas.upcast(event));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map((event) => this.schemas.upcast(event));
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  subscribe(options: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    const onHandlerError = options.onHandlerError;
    return this.inner.subscribe(
      // The handler's errors are reported with the event as the handler saw it.
      { ...options, ...(onHandlerError ? { onHandlerError: (error, event, attempt) => onHandlerError(error, this.schemas.upcast(event), attempt) } : {}) },
      (event) => handler(this.schemas.upcast(event)),
    );
  }

  checkHealth(): Promise<void> {
    return this.inner.checkHealth();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
