import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { LOSSY_ACKS_USER } from './nats-lossy-acks.js';
import { tapSubscriptions, type TappedStore } from './subscription-tap.js';

/**
 * The options a connection to the JetStream event store is opened with here, stated structurally (this library
 * depends on no project): those of the event store's `connectJetStreamEventStore`, which the caller passes in.
 */
export interface JetStreamStoreOptions {
  readonly servers?: string;
  /** A replica whose acks are lost connects as LOSSY_ACKS_USER on a connection of its own. */
  readonly connection?: NatsConnection;
  readonly streamName: string;
  readonly subjectPrefix: string;
  readonly ackWaitMs: number;
  readonly handlerRetry?: { readonly initialDelayMs: number; readonly maxDelayMs: number };
  readonly onBackgroundError?: (error: unknown) => void;
}

/** The event store as these replicas use it: subscriptions to tap, a connection to close. */
interface ReplicaStore {
  subscribe(...args: never[]): Promise<unknown>;
  close(): Promise<void>;
}

/** A service to run as a replica: its name (on its NATS connections) and how it starts on an event store. */
export interface ReplicatedService<Store> {
  readonly name: string;
  start(store: Store): Promise<{ close(): Promise<void> }>;
}

/** One replica: its own connection to the store, what its subscriptions were handed, the service. */
export interface JetStreamReplica<Store extends ReplicaStore> {
  readonly acks: 'kept' | 'lost';
  readonly deliveries: TappedStore<Store>['deliveries'];
  stop(): Promise<void>;
}

export interface ReplicasOnJetStream<Store extends ReplicaStore> {
  /** The store as the tests read and write it (no replica uses this connection). */
  readonly store: Store;
  /** Starts one more replica of `service` on a store connection of its own, its subscriptions tapped. */
  start(service: ReplicatedService<Store>, acks: 'kept' | 'lost'): Promise<JetStreamReplica<Store>>;
  /** Stops every replica (one already stopped is left as it is), then closes the tests' store. */
  close(): Promise<void>;
}

/**
 * Replicas of real services as distributed mode runs them, each its own connection to one JetStream event store,
 * on one real nats-server of `startNatsServerWithLossyAcks`. A replica started with `acks: 'lost'` handles what its
 * durable subscription delivers, but its acks never reach the server, which delivers the message again every
 * `ackWaitMs`, to it or to another replica. Every replica's subscriptions are tapped (watched, not altered).
 * Each call gets a stream of its own: `<PREFIX>_<id>`, its subjects `<prefix><id>.events.…`.
 */
export async function replicasOnJetStream<Store extends ReplicaStore>(
  natsUrl: string,
  { prefix, ackWaitMs, connectStore }: { prefix: string; ackWaitMs: number; connectStore: (options: JetStreamStoreOptions) => Promise<Store> },
): Promise<ReplicasOnJetStream<Store>> {
  const id = randomUUID().replace(/-/g, '').slice(0, 12);
  const stream = { streamName: `${prefix.toUpperCase()}_${id}`, subjectPrefix: `${prefix}${id}.events`, ackWaitMs };
  const store = await connectStore({ servers: natsUrl, ...stream });
  const replicas: JetStreamReplica<Store>[] = [];
  return {
    store,
    start: async (service, acks) => {
      const connection = acks === 'lost' ? await connect({ servers: natsUrl, ...LOSSY_ACKS_USER, name: `${service.name}-with-lost-acks` }) : undefined;
      const own = await connectStore({
        ...(connection ? { connection } : { servers: natsUrl }),
        ...stream,
        handlerRetry: { initialDelayMs: 20, maxDelayMs: 200 },
        onBackgroundError: () => undefined,
      });
      const tapped = tapSubscriptions(own);
      const running = await service.start(tapped.store);
      let stopped = false;
      const replica: JetStreamReplica<Store> = {
        acks,
        deliveries: tapped.deliveries,
        stop: async () => {
          if (stopped) return;
          stopped = true;
          await running.close();
          await own.close();
          await connection?.close();
        },
      };
      replicas.push(replica);
      return replica;
    },
    close: async () => {
      for (const replica of replicas) await replica.stop();
      await store.close();
    },
  };
}
