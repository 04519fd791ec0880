import { randomUUID } from 'node:crypto';
import { Streams, type DaemonEvent, type MessageMeta, type ReplyOf, type RequestOf, type Subject } from '@daemonfleet/contracts';
import { daemonDecider, type DaemonCommand, type DaemonSettings, type DaemonState } from '@daemonfleet/domain';
import { connectJetStreamEventStore, type JetStreamEventStore, type RecordedEvent } from '@daemonfleet/event-store';
import { createRpcClient, type RpcClient } from '@daemonfleet/messaging';
import { EventSourcedAggregates, loadConfig, randomIds, ServiceClient, systemClock } from '@daemonfleet/service-runtime';
import { replicasOnJetStream, type JetStreamReplica, type ReplicasOnJetStream, type ReplicatedService } from '@daemonfleet/testing';
import { startDeploymentOrchestrator } from '../index.js';

export const scope = { accountId: '123456789012', region: 'us-east-1' };
export const arn = (resource: string) => `arn:aws:ecs:${scope.region}:${scope.accountId}:${resource}`;

/** How long a durable subscription's message waits for its ack before the server delivers it again. */
const ACK_WAIT_MS = 400;

/** One orchestrator process: its own connection to the store, its subscriptions' deliveries, the service. */
export type OrchestratorReplica = JetStreamReplica<JetStreamEventStore>;

/**
 * Replicas of the real orchestrator as distributed mode runs them (`replicasOnJetStream`): each its own Nest
 * microservice on the NATS transport (one queue group) and its own connection to the JetStream event store, all on
 * one real nats-server (`startNatsServerWithLossyAcks`), a replica started with `acks: 'lost'` never getting its
 * acks to the server. No fleet agent runs: the fleet queries are not asked, and a deployment has no instance to drain.
 */
export class OrchestratorsOnJetStream {
  private readonly rpc: RpcClient;
  private readonly client: ServiceClient;
  private readonly orchestrator: ReplicatedService<JetStreamEventStore>;

  private constructor(
    natsUrl: string,
    private readonly replicas: ReplicasOnJetStream<JetStreamEventStore>,
  ) {
    this.rpc = createRpcClient({ kind: 'nats', servers: [natsUrl], name: 'orchestrator-test' }, { defaultTimeoutMs: 10_000 });
    this.client = new ServiceClient(this.rpc);
    this.orchestrator = orchestratorOver(natsUrl);
  }

  static async on(natsUrl: string): Promise<OrchestratorsOnJetStream> {
    return new OrchestratorsOnJetStream(natsUrl, await replicasOnJetStream(natsUrl, { prefix: 'orch', ackWaitMs: ACK_WAIT_MS, connectStore: connectJetStreamEventStore }));
  }

  /** The store as the tests read and write it (no orchestrator uses this connection). */
  get store(): JetStreamEventStore {
    return this.replicas.store;
  }

  start(acks: 'kept' | 'lost'): Promise<OrchestratorReplica> {
    return this.replicas.start(this.orchestrator, acks);
  }

  async close(): Promise<void> {
    await this.rpc.close();
    await this.replicas.close();
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

/** The real orchestrator as each replica runs it: on the NATS transport at `natsUrl`, on the store it is given. */
function orchestratorOver(natsUrl: string): ReplicatedService<JetStreamEventStore> {
  return {
    name: 'orchestrator',
    start: (eventStore) =>
      startDeploymentOrchestrator({
        processName: 'deployment-orchestrator',
        config: loadConfig({ LOG_LEVEL: 'silent', RESYNC_INTERVAL_MS: '100', TIME_SCALE: '600', REQUEST_TIMEOUT_MS: '5000' }),
        eventStore,
        transport: { kind: 'nats', servers: [natsUrl] },
        clock: systemClock,
        ids: randomIds,
      }),
  };
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
