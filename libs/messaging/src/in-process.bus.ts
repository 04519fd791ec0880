import { Logger } from '@nestjs/common';
import { NoRespondersError, RequestTimeoutError } from './rpc.errors.js';
import { assertLiteralSubject, assertSubscriptionSubject, subjectMatches } from './subject.js';

/** Receives a request's payload (a fresh JSON copy) and returns the reply, which travels back as JSON too. */
export type BusHandler = (payload: unknown, subject: string) => unknown;

export interface BusRequestOptions {
  /**
   * Reject with `RequestTimeoutError` when no reply comes within this many milliseconds. Without it the request
   * waits for a reply or for `signal`, as a NATS reply inbox does.
   */
  readonly timeoutMs?: number;
  /** Abandons the request: it rejects with the signal's reason and a late reply is dropped. */
  readonly signal?: AbortSignal;
}

interface Subscription {
  readonly subject: string;
  readonly queueGroup: string;
  readonly handler: BusHandler;
  /** Stamp of the last request given to this subscription, for round-robin within its queue group. */
  lastDelivery: number;
}

/**
 * Request/reply between the services of one process, with the semantics of core NATS so that code moves between
 * embedded and distributed mode unchanged:
 * - subjects follow the NATS grammar, subscriptions may use `*` and `>`;
 * - each queue group whose subscriptions match a subject gets the request once, at one member chosen round-robin
 *   (NATS picks at random; both spread the work); several groups each get it and the first reply wins;
 * - payloads and replies are JSON round-tripped, so no object is shared between sender and receiver;
 * - no matching subscription at all rejects at once with `NoRespondersError` (not a timeout);
 * - a handler that throws produces no reply (logged), like a crashed subscriber: the requester times out unless
 *   another group answers.
 */
export class InProcessBus {
  private readonly logger = new Logger(InProcessBus.name);
  private readonly subscriptions = new Set<Subscription>();
  private deliveries = 0;

  /** Returns the function that unsubscribes. Requests already delivered still get their reply. */
  subscribe(subject: string, queueGroup: string, handler: BusHandler): () => void {
    assertSubscriptionSubject(subject);
    if (!/^\S+$/.test(queueGroup)) throw new TypeError(`invalid queue group "${queueGroup}"`);
    const subscription: Subscription = { subject, queueGroup, handler, lastDelivery: 0 };
    this.subscriptions.add(subscription);
    return () => {
      this.subscriptions.delete(subscription);
    };
  }

  request(subject: string, payload: unknown, { timeoutMs, signal }: BusRequestOptions = {}): Promise<unknown> {
    return new Promise((resolve, reject) => {
      signal?.throwIfAborted();
      assertLiteralSubject(subject);
      const wirePayload = JSON.stringify(payload);
      const receivers = this.pickOnePerQueueGroup(subject);
      if (receivers.length === 0) throw new NoRespondersError(subject);

      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const onAbort = () => settle(() => reject(signal?.reason));
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => settle(() => reject(new RequestTimeoutError(subject, timeoutMs))), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });

      for (const receiver of receivers) {
        // Delivered on a later tick, as from a socket: the requester never runs inside the handler's stack.
        void Promise.resolve()
          .then(() => receiver.handler(fromWire(wirePayload), subject))
          .then((reply) => {
            const wireReply = JSON.stringify(reply);
            settle(() => resolve(fromWire(wireReply)));
          })
          .catch((error: unknown) => {
            this.logger.error(
              `handler of "${receiver.subject}" in queue group "${receiver.queueGroup}" failed on "${subject}": no reply from it`,
              error instanceof Error ? error.stack : String(error),
            );
          });
      }
    });
  }

  private pickOnePerQueueGroup(subject: string): Subscription[] {
    const groups = new Map<string, Subscription[]>();
    for (const subscription of this.subscriptions) {
      if (!subjectMatches(subscription.subject, subject)) continue;
      const members = groups.get(subscription.queueGroup);
      if (members) members.push(subscription);
      else groups.set(subscription.queueGroup, [subscription]);
    }
    // The member served longest ago gets the request: strict rotation over any fixed set of members,
    // whatever other subjects the group also handles.
    return [...groups.values()].map((members) => {
      const next = members.reduce((a, b) => (b.lastDelivery < a.lastDelivery ? b : a));
      next.lastDelivery = ++this.deliveries;
      return next;
    });
  }
}

/** `JSON.stringify(undefined)` is undefined: a void reply stays undefined, as an empty NATS payload would. */
function fromWire(json: string | undefined): unknown {
  return json === undefined ? undefined : JSON.parse(json);
}
