import type { ConsumerMessages } from '@nats-io/jetstream';
import type { NatsConnection, Status } from '@nats-io/transport-node';

export interface StallWatchOptions {
  /** No message and no sign of the server (an idle heartbeat, a pull's end) for this long ends the iteration. */
  readonly stallMs: number;
  /**
   * An ordered consumer is an R1 consumer in one server's memory, recreated cheaply from where it got to: after the
   * connection moved to another server, or when heartbeats are missed, the iteration ends at once, without waiting
   * for `stallMs`. (A durable consumer is replicated and elects a new leader; nats.js resumes pulling from it.)
   */
  readonly ordered: boolean;
}

export interface StallWatch {
  /** Progress was made (a message was handled): the stall clock starts again. */
  alive(): void;
  /** While the caller is busy with a message in hand (a handler retrying), it is not a stall. */
  busy(isBusy: boolean): void;
  /** Why the iteration was ended, if it was. */
  readonly reason: string | undefined;
  dispose(): void;
}

type StoppableStatus = AsyncIterable<Status> & { stop?: () => void };

/**
 * Ends a consumer's iteration (`messages.stop(error)`, so the `for await` over it throws) when the consumer it pulls
 * from is lost. nats.js does not: when the connection drops, it cancels its heartbeat monitor; after reconnecting (to
 * another node of a cluster) it asks after the consumer until the consumer answers, and only then restarts the
 * monitor. A consumer that lived on a node that died (an ordered consumer: R1, in memory) never answers, so the
 * iteration would wait forever, without an error: a subscription or a read stuck silently. The caller then opens
 * a new consumer from where it got to.
 */
export function watchForStall(messages: ConsumerMessages, nc: NatsConnection | undefined, options: StallWatchOptions): StallWatch {
  let lastSign = Date.now();
  let isBusy = false;
  let reason: string | undefined;
  let disposed = false;
  const end = (why: string) => {
    if (disposed || reason !== undefined) return;
    reason = why;
    messages.stop(new Error(why));
  };
  void (async () => {
    for await (const status of messages.status()) {
      if (status.type === 'heartbeat' || status.type === 'discard' || status.type === 'ordered_consumer_recreated') lastSign = Date.now();
      else if (status.type === 'heartbeats_missed' && options.ordered) end(`consumer stalled: ${status.count} heartbeats missed, opening a new one`);
    }
  })().catch(() => undefined);
  // Without the connection at hand, a reconnect shows as a stall.
  const connection = options.ordered ? (nc?.status() as StoppableStatus | undefined) : undefined;
  if (connection)
    void (async () => {
      for await (const status of connection) {
        if (status.type === 'reconnect') end(`connection moved to ${status.server}: opening a new ordered consumer`);
      }
    })().catch(() => undefined);
  const timer = setInterval(
    () => {
      if (isBusy) return;
      if (Date.now() - lastSign > options.stallMs) end(`consumer stalled: no message nor heartbeat for ${options.stallMs} ms, opening a new one`);
    },
    Math.min(1_000, options.stallMs / 4),
  );
  timer.unref?.();
  return {
    alive: () => {
      lastSign = Date.now();
    },
    busy: (value) => {
      isBusy = value;
      lastSign = Date.now();
    },
    get reason() {
      return reason;
    },
    dispose: () => {
      disposed = true;
      clearInterval(timer);
      connection?.stop?.();
    },
  };
}
