import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Streams, type CapacityProviderEvent, type ReplyOf, type RequestOf, type Subject } from '@daemonfleet/contracts';
import { capacityProviderDecider, fold, type ActiveCapacityProvider, type InstanceState } from '@daemonfleet/domain';
import { connectJetStreamEventStore, type JetStreamEventStore, type RecordedEvent } from '@daemonfleet/event-store';
import { createRpcClient, type RpcClient } from '@daemonfleet/messaging';
import { loadConfig, randomIds, systemClock } from '@daemonfleet/service-runtime';
import { LOSSY_ACKS_USER, tapSubscriptions, type Delivery } from '@daemonfleet/testing';
import { startFleetAgent } from '../index.js';
import { scope } from './fleet-agent-harness.js';

/** How long a durable subscription's message waits for its ack before the server delivers it again. */
const ACK_WAIT_MS = 400;

/** One fleet agent process: its own connection to the store, what its subscriptions were handed, the service. */
export interface FleetAgentReplica {
  readonly acks: 'kept' | 'lost';
  readonly deliveries: readonly Delivery<RecordedEvent>[];
  stop(): Promise<void>;
}

/**
 * Replicas of the real fleet agent as distributed mode runs them: each its own Nest microservice on the NATS
 * transport (one queue group: each command reaches one replica) and its own connection to the JetStream event store,
 * on one real nats-server (`startNatsServerWithLossyAcks`). A replica started with `acks: 'lost'` handles what its
 * durable subscription delivers, but its acks never reach the server, which delivers the message again every
 * ACK_WAIT_MS, to it or to another replica. Every replica's subscriptions are tapped (watched, not altered).
 * Commands are sent by as many clients as asked (`client()`): orchestrator replicas, each its own NATS connection.
 */
export class FleetAgentsOnJetStream {
  readonly replicas: FleetAgentReplica[] = [];
  private readonly clients: RpcClient[] = [];

  private constructor(
    private readonly natsUrl: string,
    private readonly streamName: string,
    private readonly subjectPrefix: string,
    private readonly env: Record<string, string>,
    /** The store as the tests read and write it (no agent uses this connection). */
    readonly store: JetStreamEventStore,
  ) {}

  static async on(natsUrl: string, env: Record<string, string> = {}): Promise<FleetAgentsOnJetStream> {
    const id = randomUUID().replace(/-/g, '').slice(0, 12);
    const streamName = `FLEET_${id}`;
    const subjectPrefix = `fleet${id}.events`;
    const store = await connectJetStreamEventStore({ servers: natsUrl, streamName, subjectPrefix, ackWaitMs: ACK_WAIT_MS });
    return new FleetAgentsOnJetStream(natsUrl, streamName, subjectPrefix, env, store);
  }

  async start(acks: 'kept' | 'lost'): Promise<FleetAgentReplica> {
    let connection: NatsConnection | undefined;
    if (acks === 'lost') connection = await connect({ servers: this.natsUrl, ...LOSSY_ACKS_USER, name: 'fleet-agent-with-lost-acks' });
    const own = await connectJetStreamEventStore({
      ...(connection ? { connection } : { servers: this.natsUrl }),
      streamName: this.streamName,
      subjectPrefix: this.subjectPrefix,
      ackWaitMs: ACK_WAIT_MS,
      handlerRetry: { initialDelayMs: 20, maxDelayMs: 200 },
      onBackgroundError: () => undefined,
    });
    const { store, deliveries } = tapSubscriptions(own);
    const config = loadConfig({ LOG_LEVEL: 'silent', RESYNC_INTERVAL_MS: '100', METRICS_PERIOD_SECONDS: '86400', ...this.env });
    const app: INestMicroservice = await startFleetAgent({
      processName: 'fleet-agent',
      config,
      eventStore: store,
      transport: { kind: 'nats', servers: [this.natsUrl] },
      clock: systemClock,
      ids: randomIds,
    });
    let stopped = false;
    const replica: FleetAgentReplica = {
      acks,
      deliveries,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await app.close();
        await own.close();
        await connection?.close();
      },
    };
    this.replicas.push(replica);
    return replica;
  }

  /** A sender of commands with its own NATS connection, as one orchestrator (or gateway) replica. */
  client(name = 'fleet-test'): <S extends Subject>(subject: S, data: RequestOf<S>) => Promise<ReplyOf<S>> {
    const rpc = createRpcClient({ kind: 'nats', servers: [this.natsUrl], name }, { defaultTimeoutMs: 10_000 });
    this.clients.push(rpc);
    return (subject, data) => rpc.request(subject, { data, meta: { correlationId: randomUUID(), scope, principalArn: `arn:aws:iam::${scope.accountId}:user/${name}` } });
  }

  async close(): Promise<void> {
    for (const client of this.clients) await client.close();
    for (const replica of this.replicas) await replica.stop();
    await this.store.close();
  }

  events(streamId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(streamId);
  }

  async instances(provider: string): Promise<InstanceState[]> {
    const events = await this.events(Streams.capacityProvider(scope, provider));
    const state = fold(capacityProviderDecider, events.map((event) => ({ type: event.type, data: event.data }) as CapacityProviderEvent)) as ActiveCapacityProvider;
    return [...state.fleet.instances.values()];
  }
}
