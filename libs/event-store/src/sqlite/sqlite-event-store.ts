import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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
import { startPollingSubscription, type PolledLog } from '../shared/polling-subscription.js';
import { DEFAULT_READ_ALL_MAX_COUNT, lowerBoundOf, maxCountOf } from '../shared/read-options.js';
import { StoreLifecycle } from '../shared/store-lifecycle.js';
import { parseStreamId } from '../stream-id.js';
import { prepareDatabase } from './sqlite-schema.js';
import { RecentAppends } from './recent-appends.js';
import { SqliteStatements } from './sqlite-statements.js';

/**
 * Enough for the subscriptions of a busy process, which may trail the appends by a few thousand events in a
 * rollout, to read them from memory (a few MiB of JSON).
 */
const RECENT_APPENDS_KEPT = 16_384;

export interface SqliteEventStoreOptions {
  /** The database file, for example `${DATA_DIR}/events.sqlite`; missing directories are created. */
  readonly path: string;
  /** How often subscriptions look for appends made by other processes. Appends through this store wake them at once. */
  readonly pollIntervalMs?: number;
  /** How long a writer waits for another process's transaction before failing with SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
  /** Backoff of a subscription whose handler throws. */
  readonly handlerRetry?: HandlerRetryPolicy;
  /** Told about failures of subscription reads and checkpoint writes (retried). Default: console.error. */
  readonly onBackgroundError?: (error: unknown) => void;
}

/**
 * The embedded-mode event store: one SQLite file in WAL mode (better-sqlite3, synchronous calls behind the
 * async port). Every append is one IMMEDIATE transaction that checks the expected version and the append id
 * and inserts all its events, so it is atomic and serialised with appends of any other process on the file.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly sql: SqliteStatements;
  private readonly lifecycle = new StoreLifecycle('sqlite');
  private readonly appendListeners = new Set<() => void>();
  private readonly log: PolledLog;
  /** What subscriptions read right after this process's appends (only they read from it; readAll asks SQLite). */
  private readonly recent = new RecentAppends(RECENT_APPENDS_KEPT);

  constructor(private readonly options: SqliteEventStoreOptions) {
    mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    try {
      prepareDatabase(this.db, options.busyTimeoutMs ?? 5_000);
      this.sql = new SqliteStatements(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.log = {
      poll: (fromPosition, maxCount, categories) => this.recent.poll(fromPosition, maxCount, categories) ?? this.sql.poll(fromPosition, maxCount, categories),
      headPosition: () => this.sql.headPosition(),
      loadCheckpoint: (name) => this.sql.loadCheckpoint(name),
      saveCheckpoint: (name, position) => this.sql.saveCheckpoint(name, position),
      onAppended: (listener) => {
        const registration = () => listener();
        this.appendListeners.add(registration);
        return () => this.appendListeners.delete(registration);
      },
    };
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.lifecycle.assertOpen();
    const { category } = parseStreamId(streamId);
    validateAppendOptions(streamId, options);
    const serialised = serialiseForAppend(streamId, events);
    const { result, inserted } = this.sql.append(streamId, category, serialised, options.expectedVersion, options.appendId);
    if (inserted) this.recent.record(streamId, result.streamVersion - serialised.length + 1, result.globalPosition, serialised);
    for (const listener of this.appendListeners) listener();
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.lifecycle.assertOpen();
    parseStreamId(streamId);
    return this.sql.readStream(streamId, lowerBoundOf(options.fromVersion), maxCountOf(options.maxCount, Infinity));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.lifecycle.assertOpen();
    const maxCount = maxCountOf(options.maxCount, DEFAULT_READ_ALL_MAX_COUNT);
    return this.sql.readAll(lowerBoundOf(options.fromPosition), maxCount, categorySetOf(options.filter));
  }

  async headPosition(): Promise<number> {
    this.lifecycle.assertOpen();
    return this.sql.headPosition();
  }

  async subscribe(options: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    this.lifecycle.assertOpen();
    const subscription = await startPollingSubscription(this.log, options, handler, {
      retry: this.options.handlerRetry ?? DEFAULT_HANDLER_RETRY,
      pollIntervalMs: this.options.pollIntervalMs ?? 250,
      onBackgroundError: this.options.onBackgroundError ?? ((error) => console.error('sqlite event store subscription:', error)),
    });
    return this.lifecycle.track(subscription);
  }

  async checkHealth(): Promise<void> {
    this.lifecycle.assertOpen();
    this.sql.headPosition();
  }

  async close(): Promise<void> {
    if (await this.lifecycle.close()) this.db.close();
  }
}

export function openSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  return new SqliteEventStore(options);
}
