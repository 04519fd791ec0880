import type { EventHandler, RecordedEvent } from '../event-store.port.js';

/** Backoff between attempts of a failing handler: `initialDelayMs`, doubling, capped at `maxDelayMs`. */
export interface HandlerRetryPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_HANDLER_RETRY: HandlerRetryPolicy = { initialDelayMs: 100, maxDelayMs: 10_000 };

export function retryDelayMs(policy: HandlerRetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
}

export interface DeliverOptions {
  readonly policy: HandlerRetryPolicy;
  readonly signal: AbortSignal;
  readonly onHandlerError?: (error: unknown, event: RecordedEvent, attempt: number) => void;
}

/**
 * Runs the handler on one event until it returns. A subscription never skips an event: a failing handler is
 * retried in place, with backoff, and later events wait behind it. Returns false when the subscription was
 * stopped before the handler succeeded (the event then stays unhandled and is not checkpointed).
 */
export async function deliverUntilHandled(event: RecordedEvent, handler: EventHandler, options: DeliverOptions): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    if (options.signal.aborted) return false;
    try {
      await handler(event);
      return true;
    } catch (error) {
      try {
        options.onHandlerError?.(error, event, attempt);
      } catch {
        // A failing error callback must not turn into a skipped event.
      }
      await abortableDelay(retryDelayMs(options.policy, attempt), options.signal);
    }
  }
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A promise with its resolver, for `caughtUp`. */
export function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
