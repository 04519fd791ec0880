import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import type { EventHandler, SubscribeOptions, Subscription } from '../event-store.port.js';
import { passesFilter, type CategorySet } from '../shared/event-filter.js';
import { abortableDelay, deliverUntilHandled, latch, type HandlerRetryPolicy } from '../shared/handler-retry.js';
import { normaliseSubscribeOptions } from '../shared/subscribe-options.js';
import { openDurableSource, openOrderedSource, type ConsumerContext, type MessageSource } from './jetstream-consumers.js';
import { decodeAppend, lastPositionOf } from './jetstream-message.codec.js';

export interface JetStreamSubscriptionSettings extends ConsumerContext {
  readonly nc: NatsConnection;
  readonly retry: HandlerRetryPolicy;
  /** Told about consumer failures (the subscription reopens its consumer after a pause). */
  readonly onBackgroundError: (error: unknown) => void;
}

const REOPEN_PAUSE_MS = 1_000;
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
    if (!source.acknowledges) void this.reopenWhenStalled(messages);
    try {
      if (this.stopping.signal.aborted) return;
      for await (const message of messages) {
        if (!(await this.handleMessage(message, source))) {
          if (source.acknowledges) message.nak();
          return;
        }
        if (source.acknowledges) message.ack();
        this.nextPosition = lastPositionOf(message.seq) + 1;
        if (message.info.pending === 0) this.reachedHead.open();
        if (this.stopping.signal.aborted) return;
      }
    } finally {
      this.messages = undefined;
      messages.stop();
    }
  }

  /**
   * An ordered consumer is an R1 consumer in one server's memory. When that server is lost (a node of a cluster
   * dies), nats.js keeps asking after a consumer no live server holds, and the subscription would wait for the node
   * to come back. Missed heartbeats end the iteration instead, and the loop opens a new ordered consumer, which the
   * cluster places on a live node, from where this subscription got to. (A durable consumer is replicated like its
   * stream and elects a new leader; nats.js resumes it.)
   */
  private async reopenWhenStalled(messages: ConsumerMessages): Promise<void> {
    for await (const status of messages.status()) {
      if (status.type === 'heartbeats_missed') {
        messages.stop(new Error(`ordered consumer: ${status.count} heartbeats missed, opening a new one`));
        return;
      }
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
