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
import { serialiseForAppend } from '../limits.js';
import { categorySetOf } from '../shared/event-filter.js';
import { validateAppendOptions } from '../shared/append-options.js';
import { DEFAULT_HANDLER_RETRY, type HandlerRetryPolicy } from '../shared/handler-retry.js';
import { startPollingSubscription } from '../shared/polling-subscription.js';
import { DEFAULT_READ_ALL_MAX_COUNT, lowerBoundOf, maxCountOf } from '../shared/read-options.js';
import { StoreLifecycle } from '../shared/store-lifecycle.js';
import { parseStreamId } from '../stream-id.js';
import { MemoryEventLog } from './memory-event-log.js';

export interface MemoryEventStoreOptions {
  /** The data to work on; pass the log of a closed store to "restart" on the same data. Default: a new, empty log. */
  readonly log?: MemoryEventLog;
  /** Backoff of a subscription whose handler throws. */
  readonly handlerRetry?: HandlerRetryPolicy;
}

/**
 * The event store in memory, for unit tests: a real implementation that passes the same contract as the
 * SQLite and JetStream adapters (events are stored as JSON and decoded on read, validation comes from the
 * same shared code), not a stub. Nothing survives the process.
 */
export class MemoryEventStore implements EventStore {
  readonly log: MemoryEventLog;
  private readonly handlerRetry: HandlerRetryPolicy;
  private readonly lifecycle = new StoreLifecycle('memory');

  constructor(options: MemoryEventStoreOptions = {}) {
    this.log = options.log ?? new MemoryEventLog();
    this.handlerRetry = options.handlerRetry ?? DEFAULT_HANDLER_RETRY;
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.lifecycle.assertOpen();
    parseStreamId(streamId);
    validateAppendOptions(streamId, options);
    const serialised = serialiseForAppend(streamId, events);
    return this.log.append(streamId, serialised, options.expectedVersion, options.appendId);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.lifecycle.assertOpen();
    parseStreamId(streamId);
    return this.log.readStream(streamId, lowerBoundOf(options.fromVersion), maxCountOf(options.maxCount, Infinity));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.lifecycle.assertOpen();
    const maxCount = maxCountOf(options.maxCount, DEFAULT_READ_ALL_MAX_COUNT);
    return this.log.read(lowerBoundOf(options.fromPosition), maxCount, categorySetOf(options.filter));
  }

  async headPosition(): Promise<number> {
    this.lifecycle.assertOpen();
    return this.log.headPosition();
  }

  async subscribe(options: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    this.lifecycle.assertOpen();
    const subscription = await startPollingSubscription(this.log, options, handler, {
      retry: this.handlerRetry,
      onBackgroundError: (error) => console.error('memory event store subscription:', error),
    });
    return this.lifecycle.track(subscription);
  }

  async checkHealth(): Promise<void> {
    this.lifecycle.assertOpen();
  }

  async close(): Promise<void> {
    await this.lifecycle.close();
  }
}

export function createMemoryEventStore(options: MemoryEventStoreOptions = {}): MemoryEventStore {
  return new MemoryEventStore(options);
}
