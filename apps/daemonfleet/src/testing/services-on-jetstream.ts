import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { ReplyOf, RequestOf, Scope, Subject } from '@daemonfleet/contracts';
import { startDeploymentOrchestrator } from '@daemonfleet/deployment-orchestrator';
import { connectJetStreamEventStore, type JetStreamEventStore, type RecordedEvent } from '@daemonfleet/event-store';
import { startFleetAgent } from '@daemonfleet/fleet-agent';
import { createRpcClient, type RpcClient } from '@daemonfleet/messaging';
import { loadConfig, randomIds, systemClock, type ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { LOSSY_ACKS_USER, tapSubscriptions, type Delivery } from '@daemonfleet/testing';

/** How long a durable subscription's message waits for its ack before the server delivers it again. */
const ACK_WAIT_MS = 300;

export type ServiceKind = 'deployment-orchestrator' | 'fleet-agent';

export interface ServiceReplica {
  readonly service: ServiceKind;
  readonly acks: 'kept' | 'lost';
  /** What the replica's subscriptions were handed (the durable one's deliveries carry its name). */
  readonly deliveries: readonly Delivery<RecordedEvent>[];
  stop(): Promise<void>;
}

/**
 * Distributed mode in one test process: replicas of the real orchestrator and fleet agent, each its own Nest
 * microservice on the NATS transport (a queue group per service) with its own connection to one JetStream event
 * store, on a real nats-server of `startNatsServerWithLossyAcks`. A replica started with `acks: 'lost'` handles what
 * its durable subscription delivers but never gets its acks to the server, which delivers each such message again
 * after ACK_WAIT_MS, to it or to the other replica. Every replica's subscriptions are tapped (watched, not altered).
 */
export class ServicesOnJetStream {
  readonly replicas: ServiceReplica[] = [];
  private readonly rpc: RpcClient;

  private constructor(
    private readonly natsUrl: string,
    private readonly streamName: string,
    private readonly subjectPrefix: string,
    private readonly env: Record<string, string>,
    /** The store as the test reads it (no service uses this connection). */
    readonly store: JetStreamEventStore,
  ) {
    this.rpc = createRpcClient({ kind: 'nats', servers: [natsUrl], name: 'test-client' }, { defaultTimeoutMs: 10_000 });
  }

  static async on(natsUrl: string, env: Record<string, string>): Promise<ServicesOnJetStream> {
    const id = randomUUID().replace(/-/g, '').slice(0, 12);
    const streamName = `SYS_${id}`;
    const subjectPrefix = `sys${id}.events`;
    const store = await connectJetStreamEventStore({ servers: natsUrl, streamName, subjectPrefix, ackWaitMs: ACK_WAIT_MS });
    return new ServicesOnJetStream(natsUrl, streamName, subjectPrefix, env, store);
  }

  async start(service: ServiceKind, acks: 'kept' | 'lost'): Promise<ServiceReplica> {
    let connection: NatsConnection | undefined;
    if (acks === 'lost') connection = await connect({ servers: this.natsUrl, ...LOSSY_ACKS_USER, name: `${service}-with-lost-acks` });
    const own = await connectJetStreamEventStore({
      ...(connection ? { connection } : { servers: this.natsUrl }),
      streamName: this.streamName,
      subjectPrefix: this.subjectPrefix,
      ackWaitMs: ACK_WAIT_MS,
      handlerRetry: { initialDelayMs: 20, maxDelayMs: 200 },
      onBackgroundError: () => undefined,
    });
    const { store, deliveries } = tapSubscriptions(own);
    const infrastructure: ServiceInfrastructure = {
      processName: service,
      config: loadConfig({ LOG_LEVEL: 'silent', ...this.env }),
      eventStore: store,
      transport: { kind: 'nats', servers: [this.natsUrl] },
      clock: systemClock,
      ids: randomIds,
    };
    const app: INestMicroservice = service === 'fleet-agent' ? await startFleetAgent(infrastructure) : await startDeploymentOrchestrator(infrastructure);
    let stopped = false;
    const replica: ServiceReplica = {
      service,
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

  send<S extends Subject>(subject: S, data: RequestOf<S>, scope: Scope): Promise<ReplyOf<S>> {
    return this.rpc.request(subject, { data, meta: { correlationId: randomUUID(), scope, principalArn: `arn:aws:iam::${scope.accountId}:user/tester` } });
  }

  async close(): Promise<void> {
    await this.rpc.close();
    for (const replica of this.replicas) await replica.stop();
    await this.store.close();
  }
}
