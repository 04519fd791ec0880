import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Streams, type DaemonEvent, type MessageMeta, type ReplyOf, type RequestOf, type Subject } from '@daemonfleet/contracts';
import { daemonDecider, type DaemonCommand, type DaemonSettings, type DaemonState } from '@daemonfleet/domain';
import { connectJetStreamEventStore, type JetStreamEventStore, type RecordedEvent } from '@daemonfleet/event-store';
import { createRpcClient, type RpcClient } from '@daemonfleet/messaging';
import { EventSourcedAggregates, loadConfig, randomIds, ServiceClient, systemClock } from '@daemonfleet/service-runtime';
import { LOSSY_ACKS_USER, tapSubscriptions, type Delivery } from '@daemonfleet/testing';
import { startDeploymentOrchestrator } from '../index.js';

export const scope = { accountId: '123456789012', region: 'us-east-1' };
export const arn = (resource: string) => `arn:aws:ecs:${scope.region}:${scope.accountId}:${resource}`;

/** How long a durable subscription's message waits for its ack before the server delivers it again. */
const ACK_WAIT_MS = 400;

/** One orchestrator process: its own connection to the store, its subscriptions' deliveries, the service. */
export interface OrchestratorReplica {
  readonly acks: 'kept' | 'lost';
  readonly deliveries: readonly Delivery<RecordedEvent>[];
  stop(): Promise<void>;
}

/**
 * Replicas of the real orchestrator as distributed mode runs them: each its own Nest microservice on the NATS
 * transport (one queue group) and its own connection to the JetStream event store, all on one real nats-server
 * (`startNatsServerWithLossyAcks`). A replica started with `acks: 'lost'` handles what its durable subscription
 * delivers, but its acks never reach the server, which delivers the message again every ACK_WAIT_MS, to it or to
 * another replica. Every replica's subscriptions are tapped (watched, not altered): `deliveries`.
 * No fleet agent runs: the fleet queries are not asked, and a deployment has no instance to drain.
 */
export class OrchestratorsOnJetStream {
  readonly replicas: OrchestratorReplica[] = [];
  private readonly rpc: RpcClient;
  private readonly client: ServiceClient;
  /** The store as the tests read and write it (no orchestrator uses this connection). */
  private constructor(
    private readonly natsUrl: string,
    private readonly streamName: string,
    private readonly subjectPrefix: string,
    readonly store: JetStreamEventStore,
  ) {
    this.rpc = createRpcClient({ kind: 'nats', servers: [natsUrl], name: 'orchestrator-test' }, { defaultTimeoutMs: 10_000 });
    this.client = new ServiceClient(this.rpc);
  }

  static async on(natsUrl: string): Promise<OrchestratorsOnJetStream> {
    const id = randomUUID().replace(/-/g, '').slice(0, 12);
    const streamName = `ORCH_${id}`;
    const subjectPrefix = `orch${id}.events`;
    const store = await connectJetStreamEventStore({ servers: natsUrl, streamName, subjectPrefix, ackWaitMs: ACK_WAIT_MS });
    return new OrchestratorsOnJetStream(natsUrl, streamName, subjectPrefix, store);
  }

  async start(acks: 'kept' | 'lost'): Promise<OrchestratorReplica> {
    let connection: NatsConnection | undefined;
    if (acks === 'lost') connection = await connect({ servers: this.natsUrl, ...LOSSY_ACKS_USER, name: 'orchestrator-with-lost-acks' });
    const own = await connectJetStreamEventStore({
      ...(connection ? { connection } : { servers: this.natsUrl }),
      streamName: this.streamName,
      subjectPrefix: this.subjectPrefix,
      ackWaitMs: ACK_WAIT_MS,
      handlerRetry: { initialDelayMs: 20, maxDelayMs: 200 },
      onBackgroundError: () => undefined,
    });
    const { store, deliveries } = tapSubscriptions(own);
    const config = loadConfig({ LOG_LEVEL: 'silent', RESYNC_INTERVAL_MS: '100', TIME_SCALE: '600', REQUEST_TIMEOUT_MS: '5000' });
    const app: INestMicroservice = await startDeploymentOrchestrator({
      processName: 'deployment-orchestrator',
      config,
      eventStore: store,
      transport: { kind: 'nats', servers: [this.natsUrl] },
      clock: systemClock,
      ids: randomIds,
    });
    let stopped = false;
    const replica: OrchestratorReplica = {
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

  async close(): Promise<void> {
    for (const replica of this.replicas) await replica.stop();
    await this.rpc.close();
    await this.store.close();
  }

  send<S extends Subject>(subject: S, data: RequestOf<S>): Promise<ReplyOf<S>> {
    const meta: MessageMeta = { correlationId: randomUUID(), scope, principalArn: `arn:aws:iam::${scope.accountId}:user/tester` };
    return this.client.send(subject, data, meta);
  }

  /**
   * A daemon command's own append, as its handler makes it (the real decider, the expected version), by a process
   * that dies right after it, before it opens the deployment: what the orchestrator's reaction repairs.
   */
  async appendDaemonCommandAndCrash(daemonName: string, command: DaemonCommand): Promise<DaemonState> {
    const daemons = new EventSourcedAggregates<DaemonState, DaemonCommand, DaemonEvent>(this.store, daemonDecider, randomUUID);
    const handled = await daemons.handle(Streams.daemon(scope, 'prod', daemonName), command, { correlationId: randomUUID(), now: Date.now() });
    return handled.state;
  }

  events(streamId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(streamId);
  }
}

/** What CreateDaemon and UpdateDaemon look up before deciding (RevisionRequestLookup): a task definition and a provider found. */
export function revisionRequest(daemonName: string, daemonTaskDefinitionArn: string, deploymentId: string) {
  const settings: DaemonSettings = {
    deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
    propagateTags: 'NONE',
    enableECSManagedTags: false,
    enableExecuteCommand: false,
    critical: true,
  };
  return {
    scope,
    clusterName: 'prod',
    daemonName,
    taskDefinition: { reference: daemonTaskDefinitionArn, found: { daemonTaskDefinitionArn, status: 'ACTIVE', containerImages: [] } },
    capacityProviders: [
      { reference: 'mi', found: { capacityProviderArn: arn('capacity-provider/mi'), name: 'mi', type: 'MANAGED_INSTANCES' as const, clusterName: 'prod', status: 'ACTIVE' as const } },
    ],
    settings,
    revisionId: randomIds.revisionId(),
    deploymentId,
    now: Date.now(),
  };
}
