import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
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
import { validateAppendOptions } from '../shared/append-options.js';
import { DEFAULT_HANDLER_RETRY, type HandlerRetryPolicy } from '../shared/handler-retry.js';
import { StoreLifecycle } from '../shared/store-lifecycle.js';
import { parseStreamId } from '../stream-id.js';
import { JetStreamAppender } from './jetstream-appender.js';
import { readAllEvents, readStreamEvents } from './jetstream-reads.js';
import { ensureEventStreamReady } from './jetstream-stream-setup.js';
import { lastPositionOf } from './jetstream-message.codec.js';
import { JetStreamNaming } from './jetstream-naming.js';
import { startJetStreamSubscription, type JetStreamSubscriptionSettings } from './jetstream-subscription.js';
import { ReadResumePoints } from './read-resume-points.js';
import { StreamVersionCache } from './stream-version-cache.js';

const HEALTH_CHECK_TIMEOUT_MS = 3_000;
/**
 * API timeout of reads and subscriptions (creating their consumers): short, so a request that a lost cluster node
 * will never answer is made again soon (see jetstream-reader.ts). Appends keep the client's default.
 */
const READ_API_TIMEOUT_MS = 2_000;

export interface JetStreamEventStoreOptions {
  /** Servers to connect to (ignored when `connection` is given). Default: nats://127.0.0.1:4222. */
  readonly servers?: string | string[];
  /** An existing connection to use; the store then leaves it open on close(). */
  readonly connection?: NatsConnection;
  /** The JetStream stream holding every event. Default DF_EVENTS. */
  readonly streamName?: string;
  /** Subjects are `<subjectPrefix>.<category>.<id>`. Default df.events. */
  readonly subjectPrefix?: string;
  /** Replicas of the stream when this store creates it (3 on a 3-node cluster). Default 1. */
  readonly replicas?: number;
  /** How long the server remembers append ids to drop retried appends. Default 120 000 ms. */
  readonly duplicateWindowMs?: number;
  /** How long a durable subscription's message may stay unacknowledged before redelivery. Default 30 000 ms. */
  readonly ackWaitMs?: number;
  /** Backoff of a subscription whose handler throws. */
  readonly handlerRetry?: HandlerRetryPolicy;
  /** Told about subscription consumer failures (they reopen). Default: console.error. */
  readonly onBackgroundError?: (error: unknown) => void;
}

/**
 * The distributed-mode event store on NATS JetStream (nats-server 2.9+): one file-storage stream, one subject
 * per event stream, one message per append (see jetstream-message.codec.ts for the message layout and the
 * global positions, jetstream-appender.ts for optimistic concurrency and idempotent retries).
 */
export class JetStreamEventStore implements EventStore {
  private readonly lifecycle = new StoreLifecycle('jetstream');
  private readonly cache = new StreamVersionCache();
  private readonly resumePoints = new ReadResumePoints();
  private readonly appender: JetStreamAppender;
  private readonly subscriptionSettings: JetStreamSubscriptionSettings;
  /** The JetStream API for reads and subscriptions, with a short timeout. */
  private readonly reads: JetStreamClient;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly ownsConnection: boolean,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    /** The same API with a short timeout, so a health check answers quickly when the server is gone. */
    private readonly healthJsm: JetStreamManager,
    private readonly naming: JetStreamNaming,
    options: JetStreamEventStoreOptions,
    /** The events stream's own duplicate window (it may have been created with another than the options say). */
    duplicateWindowMs: number,
  ) {
    this.appender = new JetStreamAppender(js, jsm, naming, this.cache, () => nc.info?.max_payload ?? 1024 * 1024, duplicateWindowMs);
    this.reads = jetstream(nc, { timeout: READ_API_TIMEOUT_MS });
    this.subscriptionSettings = {
      nc,
      js: this.reads,
      jsm,
      naming,
      ackWaitMs: options.ackWaitMs ?? 30_000,
      retry: options.handlerRetry ?? DEFAULT_HANDLER_RETRY,
      onBackgroundError: options.onBackgroundError ?? ((error) => console.error('jetstream event store subscription:', error)),
    };
  }

  /** Connects (unless given a connection) and creates the stream when it does not exist yet. */
  static async connect(options: JetStreamEventStoreOptions = {}): Promise<JetStreamEventStore> {
    const naming = new JetStreamNaming(options.streamName ?? 'DF_EVENTS', options.subjectPrefix ?? 'df.events');
    const nc = options.connection ?? (await connect({
        servers: options.servers ?? 'nats://127.0.0.1:4222',
        name: 'daemonfleet-event-store',
        // A lost server is retried forever (nats.js gives up after 10 attempts by default, and a closed connection
        // would leave the store dead after a NATS outage of 20 s); the connection moves to another node of a cluster.
        maxReconnectAttempts: -1,
        reconnectTimeWait: 1_000,
      }));
    const ownsConnection = options.connection === undefined;
    try {
      const jsm = await jetstreamManager(nc);
      const info = await ensureEventStreamReady(jsm, naming, {
        replicas: options.replicas ?? 1,
        duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
      });
      const healthJsm = await jetstreamManager(nc, { timeout: HEALTH_CHECK_TIMEOUT_MS, checkAPI: false });
      const duplicateWindowMs = Math.floor((info.config.duplicate_window ?? 0) / 1_000_000);
      return new JetStreamEventStore(nc, ownsConnection, jetstream(nc), jsm, healthJsm, naming, options, duplicateWindowMs);
    } catch (error) {
      if (ownsConnection) await nc.close();
      throw error;
    }
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.lifecycle.assertOpen();
    parseStreamId(streamId);
    validateAppendOptions(streamId, options);
    const serialised = serialiseForAppend(streamId, events);
    return this.appender.append({ streamId, serialised, expectedVersion: options.expectedVersion, appendId: options.appendId });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.lifecycle.assertOpen();
    return readStreamEvents(this.reads, this.naming, this.cache, this.resumePoints, streamId, options);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.lifecycle.assertOpen();
    return readAllEvents(this.reads, this.naming, options);
  }

  async headPosition(): Promise<number> {
    this.lifecycle.assertOpen();
    const info = await this.jsm.streams.info(this.naming.streamName);
    return lastPositionOf(info.state.last_seq);
  }

  async subscribe(options: SubscribeOptions, handler: EventHandler): Promise<Subscription> {
    this.lifecycle.assertOpen();
    return this.lifecycle.track(await startJetStreamSubscription(this.subscriptionSettings, options, handler));
  }

  async checkHealth(): Promise<void> {
    this.lifecycle.assertOpen();
    if (this.nc.isClosed()) throw new Error('the NATS connection is closed');
    try {
      await this.healthJsm.streams.info(this.naming.streamName);
    } catch (error) {
      throw new Error(`JetStream stream ${this.naming.streamName} is unreachable: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }

  /** Stops the subscriptions this store started and drains the connection if the store opened it. */
  async close(): Promise<void> {
    if (!(await this.lifecycle.close())) return;
    if (this.ownsConnection && !this.nc.isClosed()) await this.nc.drain();
  }
}

export function connectJetStreamEventStore(options: JetStreamEventStoreOptions = {}): Promise<JetStreamEventStore> {
  return JetStreamEventStore.connect(options);
}
