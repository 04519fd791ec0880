import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import type { EventHandler, SubscribeOptions, Subscription } from '../event-store.port.js';
import { passesFilter, type CategorySet } from '../shared/event-filter.js';
import { abortableDelay, deliverUntilHandled, latch, type HandlerRetryPolicy } from '../shared/handler-retry.js';
import { normaliseSubscribeOptions } from '../shared/subscribe-options.js';
import { openDurableSource, openOrderedSource, type ConsumerContext, type MessageSource } from './jetstream-consumers.js';
import { decodeAppend, lastPositionOf } from './jetstream-message.codec.js';
import { watchForStall } from './consumer-stall-watch.js';

export interface JetStreamSubscriptionSettings extends ConsumerContext {
  readonly nc: NatsConnection;
  readonly retry: HandlerRetryPolicy;
  /** Told about consumer failures (the subscription reopens its consumer after a pause). */
  readonly onBackgroundError: (error: unknown) => void;
}

const REOPEN_PAUSE_MS = 1_000;
/**
 * A consumer that sent neither a message nor an idle heartbeat (every 2.5 s, PULL_EXPIRES_MS / 2) for this long is
 * taken as lost, and the subscription opens a new one from where it got to.
 */
const CONSUMER_STALL_MS = 10_000;
/** How long a first open rides out a JetStream API that does not answer (a cluster electing a stream's leader). */
const FIRST_OPEN_PATIENCE_MS = 30_000;

/**
 * A JetStream API request times out, or finds no responder, while a cluster elects the leader of a stream that was
 * just created or lost its leader: the first open tries again for a while instead of failing the subscribe call
 * (and, with it, the start of a service). Any other error fails at once.
 */
async function openRiding(open: () => Promise<MessageSource>): Promise<MessageSource> {
  const deadline = Date.now() + FIRST_OPEN_PATIENCE_MS;
  for (;;) {
    try {
      return await open();
    } catch (error) {
      const transient = error instanceof errors.TimeoutError || error instanceof errors.NoRespondersError;
      if (!transient || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, REOPEN_PAUSE_MS));
    }
  }
}

export async function startJetStreamSubscription(
  settings: JetStreamSubscriptionSettings,
  options: SubscribeOptions,
  handler: EventHandler,
): Promise<Subscription> {
  const { name, startPosition, categories } = normaliseSubscribeOptions(options);
  const open =
    name === undefined
      ? (nextPosition: number) => openOrderedSource(settings, categories, nextPosition)
      : () => openDurableSource(settings, name, categories, startPosition);
  // Open once here, so that a bad subscription (say, an unreachable stream) fails the subscribe call itself.
  const first = await openRiding(() => open(startPosition));
  const subscription = new JetStreamSubscription(settings, options, handler, categories, open);
  subscription.start(first, startPosition);
  return subscription;
}

/**
 * Delivers one message at a time, and within it one event at a time, in order. A durable source acks a message
 * once every event in it was handled (its checkpoint), and naks it when stopped half-way, so it is redelivered
 * whole: at least once. While a handler runs or retries, `working()` keeps the server from redelivering.
 */
class JetStreamSubscription implements Subscription {
  lastHandledPosition = 0;
  readonly caughtUp: Promise<void>;
  private readonly reachedHead = latch();
  private readonly stopping = new AbortController();
  private messages: ConsumerMessages | undefined;
  private nextPosition = 1;
  private finished: Promise<void> = Promise.resolve();

  constructor(
    private readonly settings: JetStreamSubscriptionSettings,
    private readonly options: SubscribeOptions,
    private readonly handler: EventHandler,
    private readonly categories: CategorySet,
    private readonly open: (nextPosition: number) => Promise<MessageSource>,
  ) {
    this.caughtUp = this.reachedHead.promise;
  }

  start(first: MessageSource, startPosition: number): void {
    this.nextPosition = startPosition;
    if (first.idleAtStart) this.reachedHead.open();
    this.finished = this.loop(first);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    // Ends the iteration after the message in hand (a handler in progress finishes first).
    this.messages?.stop();
    await this.finished;
  }

  private async loop(first: MessageSource): Promise<void> {
    const { signal } = this.stopping;
    let source: MessageSource | undefined = first;
    while (!signal.aborted) {
      try {
        // Where an ordered consumer resumes: after the last message fully handled, skipping events already handled.
        source ??= await this.open(Math.max(this.nextPosition, this.lastHandledPosition + 1));
        await this.consume(source);
      } catch (error) {
        if (!signal.aborted) this.settings.onBackgroundError(error);
      } finally {
        await source?.dispose();
        source = undefined;
      }
      if (this.settings.nc.isClosed()) break;
      await abortableDelay(REOPEN_PAUSE_MS, signal);
    }
    // Acks are fire-and-forget; a round trip guarantees the server has them before stop() returns.
    if (!this.settings.nc.isClosed()) await this.settings.nc.flush().catch(this.settings.onBackgroundError);
  }

  private async consume(source: MessageSource): Promise<void> {
    const messages = await source.consumer.consume(source.consumeOptions);
    this.messages = messages;
    // A consumer lost with its node (or its connection's node) ends the iteration instead of stalling it for ever.
    const watch = watchForStall(messages, this.settings.nc, { stallMs: CONSUMER_STALL_MS, ordered: !source.acknowledges });
    try {
      if (this.stopping.signal.aborted) return;
      for await (const message of messages) {
        watch.busy(true);
        const handled = await this.handleMessage(message, source).finally(() => watch.busy(false));
        if (!handled) {
          if (source.acknowledges) message.nak();
          return;
        }
        if (source.acknowledges) message.ack();
        this.nextPosition = lastPositionOf(message.seq) + 1;
        if (message.info.pending === 0) this.reachedHead.open();
        if (this.stopping.signal.aborted) return;
      }
      // The iteration ended without an error and without a stop (the connection closed, the consumer went away).
      if (!this.stopping.signal.aborted && !this.settings.nc.isClosed()) throw new Error('consumer iteration ended: opening a new one');
    } finally {
      watch.dispose();
      this.messages = undefined;
      messages.stop();
    }
  }

  /** True once every event of the message was handled (or filtered out); false when stopped before that. */
  private async handleMessage(message: JsMsg, source: MessageSource): Promise<boolean> {
    const { events } = decodeAppend(message);
    const keepAlive = source.acknowledges ? setInterval(() => message.working(), this.settings.ackWaitMs / 3) : undefined;
    try {
      for (const event of events) {
        if (event.globalPosition < source.floor || !passesFilter(this.categories, event.streamId)) continue;
        const handled = await deliverUntilHandled(event, this.handler, {
          policy: this.settings.retry,
          signal: this.stopping.signal,
          onHandlerError: this.options.onHandlerError,
        });
        if (!handled) return false;
        this.lastHandledPosition = event.globalPosition;
      }
      return true;
    } finally {
      clearInterval(keepAlive);
    }
  }
}
