import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { Streams, Subjects, type AlarmState, type AlarmStateChanged, type MessageMeta, type PlannedDaemonTask, type ReplyOf, type RequestOf, type Subject } from '@daemonfleet/contracts';
import { daemonDecider, deploymentDecider, fold, type DaemonState, type DeploymentState } from '@daemonfleet/domain';
import { createMemoryEventStore, type EventStore, type RecordedEvent } from '@daemonfleet/event-store';
import { createRpcClient, InProcessBus, type RpcClient } from '@daemonfleet/messaging';
import { loadConfig, randomIds, ServiceClient, systemClock, type ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { startDeploymentOrchestrator } from '../index.js';
import { FakeFleet } from './fake-fleet.js';

export const scope = { accountId: '123456789012', region: 'us-east-1' };
export const arn = (resource: string) => `arn:aws:ecs:${scope.region}:${scope.accountId}:${resource}`;

/**
 * The orchestrator service as it runs (its Nest module on the in-process transport) over a real in-memory event
 * store, with a fake fleet answering the fleet's subjects. TIME_SCALE 600: a simulated minute is 0.1 s.
 */
export class OrchestratorHarness {
  /** The running replicas of the orchestrator, sharing the store and the bus. */
  private readonly replicas: INestMicroservice[] = [];
  private readonly rpc: RpcClient;
  private readonly client: ServiceClient;
  private readonly alarmStates = new Map<string, AlarmState>();

  private constructor(
    readonly store: EventStore,
    readonly bus: InProcessBus,
    readonly fleet: FakeFleet,
  ) {
    this.rpc = createRpcClient({ kind: 'in-process', bus }, { defaultTimeoutMs: 5_000 });
    this.client = new ServiceClient(this.rpc);
  }

  static async start(): Promise<OrchestratorHarness> {
    const store = createMemoryEventStore();
    const bus = new InProcessBus();
    const harness = new OrchestratorHarness(store, bus, new FakeFleet(store, bus, scope));
    await harness.startOrchestrator();
    return harness;
  }

  /** Starts one more replica of the orchestrator. */
  async startOrchestrator(): Promise<void> {
    const config = loadConfig({ LOG_LEVEL: 'silent', RESYNC_INTERVAL_MS: '50', TIME_SCALE: '600', REQUEST_TIMEOUT_MS: '5000' });
    const infrastructure: ServiceInfrastructure = {
      processName: 'deployment-orchestrator',
      config,
      eventStore: this.store,
      transport: { kind: 'in-process', bus: this.bus },
      clock: systemClock,
      ids: randomIds,
    };
    this.replicas.push(await startDeploymentOrchestrator(infrastructure));
  }

  /** Stops every replica as a shutdown would; the store, the bus and the fleet live on. */
  async stopOrchestrator(): Promise<void> {
    for (const replica of this.replicas.splice(0)) await replica.close();
  }

  send<S extends Subject>(subject: S, data: RequestOf<S>): Promise<ReplyOf<S>> {
    const meta: MessageMeta = { correlationId: randomUUID(), scope, principalArn: `arn:aws:iam::${scope.accountId}:user/tester` };
    return this.client.send(subject, data, meta);
  }

  async registerTaskDefinition(family: string, image: string): Promise<string> {
    const reply = await this.send(Subjects.orchestrator.registerDaemonTaskDefinition, { family, containerDefinitions: [{ name: 'agent', image }] });
    return reply.result.daemonTaskDefinitionArn;
  }

  async deploymentEvents(deploymentId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(Streams.daemonDeployment(deploymentId));
  }

  async deployment(deploymentId: string): Promise<DeploymentState> {
    return fold(deploymentDecider, (await this.deploymentEvents(deploymentId)) as never);
  }

  async daemon(daemonName: string): Promise<DaemonState> {
    return fold(daemonDecider, (await this.store.readStream(Streams.daemon(scope, 'prod', daemonName))) as never);
  }

  /** The daemon's task on each instance of the fleet (undefined: none), with its revision and status. */
  daemonTasks(daemonArn: string, providerName?: string): (PlannedDaemonTask & { status: string; instanceId: string } | undefined)[] {
    return this.fleet.instances(providerName).map((instance) => {
      const task = instance.daemonTasks.get(daemonArn);
      return task && { ...task.daemon, status: task.status, instanceId: instance.instanceId };
    });
  }

  /** The alarm monitor's part: the alarm moves to `state` (AlarmStateChanged, appended to the alarm's stream). */
  async setAlarmState(alarmName: string, state: AlarmState): Promise<void> {
    const previousState = this.alarmStates.get(alarmName) ?? 'INSUFFICIENT_DATA';
    this.alarmStates.set(alarmName, state);
    const changed: AlarmStateChanged = {
      type: 'AlarmStateChanged',
      data: { alarmName, alarmArn: `arn:aws:cloudwatch:${scope.region}:${scope.accountId}:alarm:${alarmName}`, previousState, state, reason: 'set by the test', cause: 'SET_ALARM_STATE', changedAt: Date.now() },
    };
    const metadata = { eventId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 };
    await this.store.appendToStream(Streams.alarm(scope, alarmName), [{ ...changed, metadata }], { expectedVersion: 'any' });
  }

  /** Instance ids of every InstanceDrainStarted in the store, in order. */
  async drainedInstances(): Promise<string[]> {
    return (await this.fleet.events()).filter((e) => e.type === 'InstanceDrainStarted').map((e) => (e.data as { instanceId: string }).instanceId);
  }

  async close(): Promise<void> {
    await this.stopOrchestrator();
    await this.fleet.close();
    await this.rpc.close();
    await this.store.close();
  }
}

export const idOf = (deploymentArn: string) => deploymentArn.split('/').at(-1)!;
