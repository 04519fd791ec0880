import type { EventHandler, RecordedEvent, SubscribeOptions, Subscription } from '../event-store.port.js';
import type { CategorySet } from './event-filter.js';
import { abortableDelay, deliverUntilHandled, latch, type HandlerRetryPolicy } from './handler-retry.js';
import { normaliseSubscribeOptions } from './subscribe-options.js';

/** What one read of the log found. */
export interface PolledBatch {
  /** The events of the subscription's categories, in global order. */
  readonly events: RecordedEvent[];
  /**
   * The read looked at every position up to here: the next read starts after it, so events of other categories
   * are passed over once, not again on every read (a subscription to a quiet category would otherwise scan the
   * whole busy log after its last event each time).
   */
  readonly scannedTo: number;
}

/** What a store whose log can be read by position (memory, SQLite) gives the subscription loop. */
export interface PolledLog {
  /** Events of the given categories from `fromPosition` on, in global order, at most `maxCount`. */
  poll(fromPosition: number, maxCount: number, categories: CategorySet): PolledBatch | Promise<PolledBatch>;
  headPosition(): number | Promise<number>;
  /** The last position a durable subscription has handled, or undefined when it has never run. */
  loadCheckpoint(name: string): number | undefined;
  /** Stores a checkpoint; it only ever moves forward. */
  saveCheckpoint(name: string, position: number): void;
  /** Calls `listener` after every append this process sees at once; returns the removal. */
  onAppended(listener: () => void): () => void;
}

export interface PollingSettings {
  readonly retry: HandlerRetryPolicy;
  /** Poll this often for appends the log cannot signal (other processes); undefined: only wait for signals. */
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  /** Told about failed reads or checkpoint writes; the loop retries them after a pause. */
  readonly onBackgroundError: (error: unknown) => void;
}

/**
 * Catch-up then live delivery over a positional log: read a batch after the last handled position, hand each
 * event to the handler in order, checkpoint after the batch, and when a read comes back short (the head is
 * reached) wait for an append signal, the fallback poll, or stop.
 *
 * Invariant: `next` is one past the last event handled, or past the end of a read whose events were all handled
 * (what the filter excluded up to there needs no second look), so every matching event at or after the start is
 * handed to the handler once per run, in global order. Across runs, a
 * durable subscription resumes after its checkpoint, which only ever covers events whose handler returned, so
 * delivery is at least once.
 */
export async function startPollingSubscription(
  log: PolledLog,
  options: SubscribeOptions,
  handler: EventHandler,
  settings: PollingSettings,
): Promise<Subscription> {
  const { name, startPosition, categories } = normaliseSubscribeOptions(options);
  let checkpoint = name === undefined ? undefined : log.loadCheckpoint(name);
  if (name !== undefined && checkpoint === undefined) {
    // The first run fixes the starting point, so `fromPosition` only counts the first time (as on JetStream).
    checkpoint = startPosition - 1;
    log.saveCheckpoint(name, checkpoint);
  }
  const subscription = new PollingSubscription(log, options, handler, settings, categories);
  subscription.run(checkpoint === undefined ? startPosition : checkpoint + 1, await log.headPosition());
  return subscription;
}

class PollingSubscription implements Subscription {
  lastHandledPosition = 0;
  readonly caughtUp: Promise<void>;
  private readonly reachedHead = latch();
  private readonly stopping = new AbortController();
  private wakeups = 0;
  private wake: (() => void) | undefined;
  private finished: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: PolledLog,
    private readonly options: SubscribeOptions,
    private readonly handler: EventHandler,
    private readonly settings: PollingSettings,
    private readonly categories: CategorySet,
  ) {
    this.caughtUp = this.reachedHead.promise;
  }

  run(next: number, headAtStart: number): void {
    if (next > headAtStart) this.reachedHead.open();
    const unlisten = this.log.onAppended(() => this.signal());
    this.finished = this.loop(next, headAtStart).finally(unlisten);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.signal();
    await this.finished;
  }

  private async loop(next: number, headAtStart: number): Promise<void> {
    const batchSize = this.settings.batchSize ?? 500;
    const { signal } = this.stopping;
    while (!signal.aborted) {
      const seen = this.wakeups;
      let batch: PolledBatch;
      try {
        batch = await this.log.poll(next, batchSize, this.categories);
      } catch (error) {
        this.settings.onBackgroundError(error);
        await abortableDelay(this.settings.pollIntervalMs ?? 1000, signal);
        continue;
      }
      let handledAll = true;
      for (const event of batch.events) {
        const handled = await deliverUntilHandled(event, this.handler, { policy: this.settings.retry, signal, onHandlerError: this.options.onHandlerError });
        if (!handled) {
          handledAll = false;
          break;
        }
        this.lastHandledPosition = event.globalPosition;
        next = event.globalPosition + 1;
      }
      if (handledAll) next = Math.max(next, batch.scannedTo + 1);
      this.checkpoint();
      if (signal.aborted) break;
      const atHead = batch.events.length < batchSize;
      if (atHead || next > headAtStart) this.reachedHead.open();
      if (atHead && this.wakeups === seen) await this.waitForAppend();
    }
    this.checkpoint();
  }

  private checkpoint(): void {
    if (this.options.name === undefined || this.lastHandledPosition === 0) return;
    try {
      this.log.saveCheckpoint(this.options.name, this.lastHandledPosition);
    } catch (error) {
      // Not fatal: the next batch writes it again, and a lost checkpoint only means redelivery.
      this.settings.onBackgroundError(error);
    }
  }

  private signal(): void {
    this.wakeups++;
    this.wake?.();
  }

  private waitForAppend(): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      if (this.settings.pollIntervalMs !== undefined) timer = setTimeout(done, this.settings.pollIntervalMs);
      this.wake = done;
    });
  }
}
