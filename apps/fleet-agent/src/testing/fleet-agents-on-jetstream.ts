import { randomUUID } from 'node:crypto';
import { Streams, type CapacityProviderEvent, type ReplyOf, type RequestOf, type Subject } from '@daemonfleet/contracts';
import { capacityProviderDecider, fold, type ActiveCapacityProvider, type InstanceState } from '@daemonfleet/domain';
import { connectJetStreamEventStore, type JetStreamEventStore, type RecordedEvent } from '@daemonfleet/event-store';
import { createRpcClient, type RpcClient } from '@daemonfleet/messaging';
import { loadConfig, randomIds, systemClock } from '@daemonfleet/service-runtime';
import { replicasOnJetStream, type JetStreamReplica, type ReplicasOnJetStream, type ReplicatedService } from '@daemonfleet/testing';
import { startFleetAgent } from '../index.js';
import { scope } from './fleet-agent-harness.js';

/** How long a durable subscription's message waits for its ack before the server delivers it again. */
const ACK_WAIT_MS = 400;

/** One fleet agent process: its own connection to the store, what its subscriptions were handed, the service. */
export type FleetAgentReplica = JetStreamReplica<JetStreamEventStore>;

/**
 * Replicas of the real fleet agent as distributed mode runs them (`replicasOnJetStream`): each its own Nest
 * microservice on the NATS transport (one queue group: each command reaches one replica) and its own connection to
 * the JetStream event store, on one real nats-server (`startNatsServerWithLossyAcks`), a replica started with
 * `acks: 'lost'` never getting its acks to the server.
 * Commands are sent by as many clients as asked (`client()`): orchestrator replicas, each its own NATS connection.
 */
export class FleetAgentsOnJetStream {
  private readonly clients: RpcClient[] = [];
  private readonly agent: ReplicatedService<JetStreamEventStore>;

  private constructor(
    private readonly natsUrl: string,
    env: Record<string, string>,
    private readonly replicas: ReplicasOnJetStream<JetStreamEventStore>,
  ) {
    this.agent = fleetAgentOver(natsUrl, env);
  }

  static async on(natsUrl: string, env: Record<string, string> = {}): Promise<FleetAgentsOnJetStream> {
    return new FleetAgentsOnJetStream(natsUrl, env, await replicasOnJetStream(natsUrl, { prefix: 'fleet', ackWaitMs: ACK_WAIT_MS, connectStore: connectJetStreamEventStore }));
  }

  /** The store as the tests read and write it (no agent uses this connection). */
  get store(): JetStreamEventStore {
    return this.replicas.store;
  }

  start(acks: 'kept' | 'lost'): Promise<FleetAgentReplica> {
    return this.replicas.start(this.agent, acks);
  }

  /** A sender of commands with its own NATS connection, as one orchestrator (or gateway) replica. */
  client(name = 'fleet-test'): <S extends Subject>(subject: S, data: RequestOf<S>) => Promise<ReplyOf<S>> {
    const rpc = createRpcClient({ kind: 'nats', servers: [this.natsUrl], name }, { defaultTimeoutMs: 10_000 });
    this.clients.push(rpc);
    return (subject, data) => rpc.request(subject, { data, meta: { correlationId: randomUUID(), scope, principalArn: `arn:aws:iam::${scope.accountId}:user/${name}` } });
  }

  async close(): Promise<void> {
    for (const client of this.clients) await client.close();
    await this.replicas.close();
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

/** The real fleet agent as each replica runs it: on the NATS transport at `natsUrl`, on the store it is given. */
function fleetAgentOver(natsUrl: string, env: Record<string, string>): ReplicatedService<JetStreamEventStore> {
  return {
    name: 'fleet-agent',
    start: (eventStore) =>
      startFleetAgent({
        processName: 'fleet-agent',
        config: loadConfig({ LOG_LEVEL: 'silent', RESYNC_INTERVAL_MS: '100', METRICS_PERIOD_SECONDS: '86400', ...env }),
        eventStore,
        transport: { kind: 'nats', servers: [natsUrl] },
        clock: systemClock,
        ids: randomIds,
      }),
  };
}
