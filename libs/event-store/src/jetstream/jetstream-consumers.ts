import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumeOptions,
  type Consumer,
  type ConsumerInfo,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { singleCategory, type CategorySet } from '../shared/event-filter.js';
import { firstSequenceFor } from './jetstream-message.codec.js';
import { consumerNameFor, type JetStreamNaming } from './jetstream-naming.js';

/** Where a subscription's messages come from, opened again after a failure. */
export interface MessageSource {
  readonly consumer: Consumer;
  readonly consumeOptions: ConsumeOptions;
  /** Events below this position are not delivered (a start position inside the first message). */
  readonly floor: number;
  /** Nothing was waiting to be delivered when the source opened. */
  readonly idleAtStart: boolean;
  /** Durable sources ack each message once all its events were handled; ordered consumers cannot ack. */
  readonly acknowledges: boolean;
  dispose(): Promise<void>;
}

export interface ConsumerContext {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly naming: JetStreamNaming;
  readonly ackWaitMs: number;
}

/** How long one pull request waits on the server; its idle heartbeats come at half this. */
const PULL_EXPIRES_MS = 5_000;

/** One category filters on the server; no category or several read everything (several are filtered by the client). */
function filterSubjectFor(naming: JetStreamNaming, categories: CategorySet): string {
  const category = singleCategory(categories);
  return category === undefined ? naming.allSubjects : naming.categorySubject(category);
}

/** An ephemeral subscription reads through an ordered consumer from `nextPosition` (where it got to). */
export async function openOrderedSource(context: ConsumerContext, categories: CategorySet, nextPosition: number): Promise<MessageSource> {
  const consumer = await context.js.consumers.get(context.naming.streamName, {
    opt_start_seq: firstSequenceFor(nextPosition),
    filter_subjects: filterSubjectFor(context.naming, categories),
  });
  const info = await consumer.info(true);
  return {
    consumer,
    // Pulls expire every 5 s, so the server's idle heartbeats come every 2.5 s and a lost server shows within 5 s.
    consumeOptions: { max_messages: 256, expires: PULL_EXPIRES_MS },
    floor: nextPosition,
    idleAtStart: info.num_pending === 0,
    acknowledges: false,
    // The ordered consumer lives in server memory and expires when idle; deleting it is only tidiness.
    dispose: () => consumer.delete().then(() => undefined, () => undefined),
  };
}

const FLOOR_NOTE = / from position (\d+)$/;

/**
 * A durable subscription is a durable pull consumer named after it. It is created on the first subscribe,
 * starting at the message holding `startPosition` (remembered in its description, so the events of that
 * message below it stay skipped on redelivery); later subscribes resume from the consumer's ack floor.
 *
 * `max_ack_pending: 1` keeps delivery strictly ordered: the server sends the next message only once the
 * previous one is acked, even across processes sharing the subscription. The price: a message delivered to a
 * process that died is redelivered only after `ack_wait`, and everything behind it waits that long.
 */
export async function openDurableSource(
  context: ConsumerContext,
  subscriptionName: string,
  categories: CategorySet,
  startPosition: number,
): Promise<MessageSource> {
  const { jsm, js, naming, ackWaitMs } = context;
  const name = consumerNameFor(subscriptionName);
  const wanted = { filter_subject: filterSubjectFor(naming, categories), ack_wait: nanos(ackWaitMs) };
  let info = await consumerInfo(jsm, naming.streamName, name);
  if (info && (info.config.filter_subject !== wanted.filter_subject || info.config.ack_wait !== wanted.ack_wait)) {
    info = await jsm.consumers.update(naming.streamName, name, wanted);
  }
  if (!info) {
    try {
      info = await jsm.consumers.add(naming.streamName, {
        ...wanted,
        durable_name: name,
        description: `subscription ${JSON.stringify(subscriptionName)} from position ${startPosition}`,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: firstSequenceFor(startPosition),
        max_ack_pending: 1,
        max_deliver: -1,
      });
    } catch (error) {
      // Another process may have created it at the same moment: then theirs is the subscription.
      info = await consumerInfo(jsm, naming.streamName, name);
      if (!info) throw error;
    }
  }
  const consumer = await js.consumers.get(naming.streamName, name);
  return {
    consumer,
    consumeOptions: { max_messages: 1, expires: PULL_EXPIRES_MS },
    floor: Number(FLOOR_NOTE.exec(info.config.description ?? '')?.[1] ?? 1),
    idleAtStart: info.num_pending === 0 && info.num_ack_pending === 0,
    acknowledges: true,
    dispose: async () => undefined,
  };
}

async function consumerInfo(jsm: JetStreamManager, stream: string, name: string): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(stream, name);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) return undefined;
    throw error;
  }
}
