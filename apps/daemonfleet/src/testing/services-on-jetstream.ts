import { randomUUID } from 'node:crypto';
import type { ReplyOf, RequestOf, Scope, Subject } from '@daemonfleet/contracts';
import { startDeploymentOrchestrator } from '@daemonfleet/deployment-orchestrator';
import { connectJetStreamEventStore, type JetStreamEventStore } from '@daemonfleet/event-store';
import { startFleetAgent } from '@daemonfleet/fleet-agent';
import { createRpcClient, type RpcClient } from '@daemonfleet/messaging';
import { loadConfig, randomIds, systemClock } from '@daemonfleet/service-runtime';
import { replicasOnJetStream, type JetStreamReplica, type ReplicasOnJetStream, type ReplicatedService } from '@daemonfleet/testing';

/** How long a durable subscription's message waits for its ack before the server delivers it again. */
const ACK_WAIT_MS = 300;

export type ServiceKind = 'deployment-orchestrator' | 'fleet-agent';

export interface ServiceReplica extends JetStreamReplica<JetStreamEventStore> {
  readonly service: ServiceKind;
}

/**
 * Distributed mode in one test process (`replicasOnJetStream`): replicas of the real orchestrator and fleet agent,
 * each its own Nest microservice on the NATS transport (a queue group per service) with its own connection to one
 * JetStream event store, on a real nats-server of `startNatsServerWithLossyAcks`, a replica started with
 * `acks: 'lost'` never getting its acks to the server (the durable subscription's deliveries carry its name).
 */
export class ServicesOnJetStream {
  readonly replicas: ServiceReplica[] = [];
  private readonly rpc: RpcClient;

  private constructor(
    private readonly natsUrl: string,
    private readonly env: Record<string, string>,
    private readonly onJetStream: ReplicasOnJetStream<JetStreamEventStore>,
  ) {
    this.rpc = createRpcClient({ kind: 'nats', servers: [natsUrl], name: 'test-client' }, { defaultTimeoutMs: 10_000 });
  }

  static async on(natsUrl: string, env: Record<string, string>): Promise<ServicesOnJetStream> {
    return new ServicesOnJetStream(natsUrl, env, await replicasOnJetStream(natsUrl, { prefix: 'sys', ackWaitMs: ACK_WAIT_MS, connectStore: connectJetStreamEventStore }));
  }

  /** The store as the test reads it (no service uses this connection). */
  get store(): JetStreamEventStore {
    return this.onJetStream.store;
  }

  async start(service: ServiceKind, acks: 'kept' | 'lost'): Promise<ServiceReplica> {
    const replica = { service, ...(await this.onJetStream.start(this.replicated(service), acks)) };
    this.replicas.push(replica);
    return replica;
  }

  send<S extends Subject>(subject: S, data: RequestOf<S>, scope: Scope): Promise<ReplyOf<S>> {
    return this.rpc.request(subject, { data, meta: { correlationId: randomUUID(), scope, principalArn: `arn:aws:iam::${scope.accountId}:user/tester` } });
  }

  async close(): Promise<void> {
    await this.rpc.close();
    await this.onJetStream.close();
  }

  /** The real service as each replica runs it: on the NATS transport, on the store it is given. */
  private replicated(service: ServiceKind): ReplicatedService<JetStreamEventStore> {
    const startService = service === 'fleet-agent' ? startFleetAgent : startDeploymentOrchestrator;
    return {
      name: service,
      start: (eventStore) =>
        startService({
          processName: service,
          config: loadConfig({ LOG_LEVEL: 'silent', ...this.env }),
          eventStore,
          transport: { kind: 'nats', servers: [this.natsUrl] },
          clock: systemClock,
          ids: randomIds,
        }),
    };
  }
}
