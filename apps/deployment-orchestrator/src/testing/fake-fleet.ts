import { randomUUID } from 'node:crypto';
import {
  ErrorCode,
  ServiceName,
  StreamCategory,
  Streams,
  Subjects,
  type AdoptDaemonTasksCommand,
  type CapacityProviderEvent,
  type CapacityProviderRecord,
  type DaemonEvent,
  type FleetEvent,
  type PlannedDaemonTask,
  type Scope,
  type StartInstanceDrainsCommand,
} from '@daemonfleet/contracts';
import { capacityProviderDecider, holdsActivation, recordingFence, type CapacityProviderState, type DaemonPlacement, type InstanceState } from '@daemonfleet/domain';
import { MAX_EVENTS_PER_APPEND, type EventStore, type RecordedEvent } from '@daemonfleet/event-store';
import type { InProcessBus } from '@daemonfleet/messaging';

type ActiveProvider = Extract<CapacityProviderState, { status: 'ACTIVE' }>;

/**
 * A test fake of the fleet agent for the orchestrator's integration tests: it answers the fleet subjects on the
 * in-process bus as the contracts and docs/rollout.md say (StartInstanceDrains fenced and idempotent per
 * instance, the replacement provisioned in the same append; AdoptDaemonTasks; each accepted command records its
 * fence, with the domain's recordingFence), and appends the fleet events a real fleet would to the providers'
 * streams, using the domain's fleet events and fold. Instances move along their
 * lifecycle on a short timer, one transition per tick, so drains can be observed; `pause()` holds them.
 * Daemon tasks of the task definitions given to `failStarts` fail to start (DaemonTaskFailedToStart), every
 * attempt, and are retried on their instance a few ticks later unless it drains (decision 21); a critical one
 * holds its instance back (spec 3.8). As the real fleet, a retry on an instance not ACTIVE yet launches the daemon's
 * current revision, on the providers it lists, when it differs from the one that failed: the fleet follows the daemon
 * events (the latest DaemonRevisionCreated, or the revision a rollback restored, DaemonRevisionRestored).
 */
export class FakeFleet {
  private readonly providers = new Map<string, { readonly stream: string; version: number; state: ActiveProvider }>();
  private readonly unsubscribes: (() => void)[] = [];
  private writes: Promise<unknown> = Promise.resolve();
  private ticker?: NodeJS.Timeout;
  private paused = false;
  private launched = 0;
  private readonly failing = new Set<string>();
  /** Each live daemon's current revision (the fleet agent's DaemonPlacements), and every revision it may restore. */
  private readonly placements = new Map<string, DaemonPlacement>();
  private readonly revisions = new Map<string, DaemonPlacement>();
  private daemonEventsFrom = 1;
  /** Every fenced command received, accepted or not. */
  readonly received: { readonly subject: string; readonly fence: number; readonly instanceIds: readonly string[] }[] = [];

  constructor(
    private readonly store: EventStore,
    bus: InProcessBus,
    private readonly scope: Scope,
    readonly clusterName = 'prod',
  ) {
    const answer = (subject: string, handle: (data: never) => unknown) =>
      this.unsubscribes.push(
        bus.subscribe(subject, ServiceName.fleet, async (packet) => {
          const { id, data } = packet as { id: string; data: { data: never } };
          try {
            return { id, response: await handle(data.data), isDisposed: true };
          } catch (error) {
            return { id, err: error, isDisposed: true };
          }
        }),
      );
    answer(Subjects.fleet.getClusters, (query: { clusterArns: string[] }) => ({ clusters: query.clusterArns.filter((arn) => arn.endsWith(`:cluster/${clusterName}`)).map((clusterArn) => ({ clusterArn, clusterName, status: 'ACTIVE', tags: [], createdAt: 0 })) }));
    answer(Subjects.fleet.getCapacityProviders, (query: { capacityProviderArns: string[] }) => ({ capacityProviders: query.capacityProviderArns.flatMap((arn) => this.record(arn)) }));
    answer(Subjects.fleet.startInstanceDrains, (command: StartInstanceDrainsCommand) => this.serialised(() => this.startDrains(command)));
    answer(Subjects.fleet.adoptDaemonTasks, (command: AdoptDaemonTasksCommand) => this.serialised(() => this.adopt(command)));
    this.ticker = setInterval(() => void this.serialised(() => this.advance()), 5);
  }

  providerArn(name: string): string {
    return `arn:aws:ecs:${this.scope.region}:${this.scope.accountId}:capacity-provider/${name}`;
  }

  async createProvider(name: string): Promise<void> {
    const stream = Streams.capacityProvider(this.scope, name);
    const created: CapacityProviderEvent = {
      type: 'CapacityProviderCreated',
      data: { capacityProviderArn: this.providerArn(name), name, type: 'MANAGED_INSTANCES', clusterName: this.clusterName, managedInstancesProvider: {}, autoScalingGroupProvider: null, tags: [], createdAt: Date.now() },
    };
    this.providers.set(this.providerArn(name), { stream, version: 0, state: capacityProviderDecider.evolve(capacityProviderDecider.initialState(), created) as ActiveProvider });
    await this.serialised(async () => {
      await this.store.appendToStream(stream, [toNew(created)], { expectedVersion: 0 });
      this.providers.get(this.providerArn(name))!.version = 1;
    });
  }

  /** `count` instances provisioned at once; the ticker brings them up. */
  addInstances(providerName: string, count: number, daemons: readonly PlannedDaemonTask[] = []): Promise<string[]> {
    return this.serialised(async () => {
      const provider = this.providers.get(this.providerArn(providerName))!;
      const ids = Array.from({ length: count }, () => this.nextInstanceId());
      await this.append(provider, ids.map((id) => this.provisioning(provider, id, daemons, null)));
      return ids;
    });
  }

  instances(providerName?: string): InstanceState[] {
    const providers = providerName ? [this.providers.get(this.providerArn(providerName))!] : [...this.providers.values()];
    return providers.flatMap((p) => [...p.state.fleet.instances.values()]);
  }

  /** From now on, every start of a daemon task of this task definition fails; `healStarts` ends it. */
  failStarts(daemonTaskDefinitionArn: string): void {
    this.failing.add(daemonTaskDefinitionArn);
  }

  healStarts(daemonTaskDefinitionArn: string): void {
    this.failing.delete(daemonTaskDefinitionArn);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** The fleet events in the store, in order. */
  async events(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (let from = 1; ; ) {
      const batch = await this.store.readAll({ fromPosition: from, maxCount: 1000, filter: { categories: [StreamCategory.capacityProvider] } });
      if (batch.length === 0) return events;
      events.push(...batch);
      from = batch.at(-1)!.globalPosition + 1;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    await this.writes;
  }

  private async startDrains(command: StartInstanceDrainsCommand): Promise<{ result: { draining: string[] }; position: number }> {
    this.received.push({ subject: Subjects.fleet.startInstanceDrains, fence: command.fence, instanceIds: command.instanceIds });
    const provider = this.providers.get(command.capacityProviderArn)!;
    this.refuseStale(provider, command);
    const events: FleetEvent[] = [];
    const draining: string[] = [];
    for (const instanceId of command.instanceIds) {
      const instance = provider.state.fleet.instances.get(instanceId);
      // Idempotent per instance: one already draining (for this deployment or another) is left as it is.
      if (!instance || instance.drain !== null) continue;
      const replacementInstanceId = this.nextInstanceId();
      const others = [...instance.daemonTasks.values()].map((t) => t.daemon).filter((d) => d.daemonArn !== command.daemonArn);
      events.push(
        { type: 'InstanceDrainStarted', data: { instanceId, deploymentId: command.deploymentId, fence: command.fence, replacementInstanceId, startedAt: Date.now() } },
        this.provisioning(provider, replacementInstanceId, command.replacementDaemon ? [...others, command.replacementDaemon] : others, { instanceId, deploymentId: command.deploymentId }),
      );
      draining.push(instanceId);
    }
    return { result: { draining }, position: await this.append(provider, recordingFence(provider.state.fleet, fenceOf(command), events)) };
  }

  private async adopt(command: AdoptDaemonTasksCommand): Promise<{ result: { adopted: string[] }; position: number }> {
    this.received.push({ subject: Subjects.fleet.adoptDaemonTasks, fence: command.fence, instanceIds: command.instanceIds });
    const provider = this.providers.get(command.capacityProviderArn)!;
    this.refuseStale(provider, command);
    const events: FleetEvent[] = command.instanceIds.flatMap((instanceId) => {
      const task = provider.state.fleet.instances.get(instanceId)?.daemonTasks.get(command.daemonArn);
      if (!task || task.daemon.daemonRevisionArn === command.toRevisionArn) return [];
      const { daemonArn, deploymentId, toRevisionArn, fence } = command;
      return [{ type: 'DaemonTaskAdopted', data: { instanceId, taskArn: task.taskArn, daemonArn, fromRevisionArn: task.daemon.daemonRevisionArn, toRevisionArn, deploymentId, fence, adoptedAt: Date.now() } }];
    });
    const adopted = events.map((e) => e.data.instanceId);
    return { result: { adopted }, position: await this.append(provider, recordingFence(provider.state.fleet, fenceOf(command), events)) };
  }

  private refuseStale(provider: { state: ActiveProvider }, command: { deploymentId: string; fence: number }): void {
    const highest = provider.state.fleet.fences.get(command.deploymentId) ?? 0;
    if (command.fence < highest) throw { code: ErrorCode.StaleFencingToken, message: `fence ${command.fence} is older than ${highest}` };
  }

  /**
   * One lifecycle transition per instance: register and launch; then start its daemon tasks (or fail them) and
   * relaunch those whose retry is due; then activate once no task holds it back; leave once replaced.
   */
  private async advance(): Promise<void> {
    if (this.paused) return;
    await this.followDaemons();
    for (const provider of this.providers.values()) {
      const now = Date.now();
      const events = [...provider.state.fleet.instances.values()].flatMap((instance): FleetEvent[] => {
        const { instanceId } = instance;
        if (instance.registeredAt === null)
          return [{ type: 'InstanceRegistered', data: { instanceId, registeredAt: now } }, ...instance.plannedDaemons.map((daemon) => this.launch(instanceId, daemon, now))];
        const tasks = [...instance.daemonTasks.values()];
        const starts = tasks.flatMap((task): FleetEvent[] => {
          if (task.status === 'PENDING' && this.failing.has(task.daemon.daemonTaskDefinitionArn))
            return [
              {
                type: 'DaemonTaskFailedToStart',
                data: { instanceId, taskArn: task.taskArn, daemon: task.daemon, failureType: 'TASK_FAILED_TO_RUN', reason: 'Essential container in task exited', attempt: task.failedAttempts + 1, failedAt: now, retryAt: now + 20 },
              },
            ];
          if (task.status === 'PENDING') return [{ type: 'DaemonTaskStarted', data: { instanceId, taskArn: task.taskArn, daemonArn: task.daemon.daemonArn, startedAt: now } }];
          if (task.status === 'STOPPED' && task.retryAt! <= now && instance.status !== 'DRAINING') return [this.launch(instanceId, this.retried(instance, task.daemon), now)];
          return [];
        });
        if (starts.length > 0) return starts;
        if (instance.status === 'REGISTERING') return tasks.some(holdsActivation) ? [] : [{ type: 'InstanceActivated', data: { instanceId, activatedAt: now } }];
        const replacement = instance.drain && provider.state.fleet.instances.get(instance.drain.replacementInstanceId);
        if (instance.drain && replacement?.status !== 'REGISTERING') return [{ type: 'InstanceDeregistered', data: { instanceId, deregisteredAt: now } }];
        return [];
      });
      await this.append(provider, events);
    }
  }

  /** What a retry launches (AdvanceFleet's rule): the daemon's current revision on an instance not ACTIVE yet, else the same task. */
  private retried(instance: InstanceState, failed: PlannedDaemonTask): PlannedDaemonTask {
    const current = this.placements.get(failed.daemonArn);
    if (instance.activatedAt !== null || !current?.capacityProviderArns.includes(instance.capacityProviderArn) || current.daemonRevisionArn === failed.daemonRevisionArn) return failed;
    const { daemonArn, daemonRevisionArn, daemonTaskDefinitionArn, critical } = current;
    return { daemonArn, daemonRevisionArn, daemonTaskDefinitionArn, critical };
  }

  /** Catches up with the daemon events appended since the last tick, as the fleet agent's DaemonPlacements does. */
  private async followDaemons(): Promise<void> {
    for (;;) {
      const batch = await this.store.readAll({ fromPosition: this.daemonEventsFrom, maxCount: 1000, filter: { categories: [StreamCategory.daemon] } });
      if (batch.length === 0) return;
      for (const recorded of batch) this.place({ type: recorded.type, data: recorded.data } as DaemonEvent);
      this.daemonEventsFrom = batch.at(-1)!.globalPosition + 1;
    }
  }

  private place(event: DaemonEvent): void {
    switch (event.type) {
      case 'DaemonRevisionCreated': {
        const { daemonArn, revision } = event.data;
        const { daemonRevisionArn, daemonTaskDefinitionArn, critical, capacityProviderArns } = revision;
        const placement = { daemonArn, daemonRevisionArn, daemonTaskDefinitionArn, critical, capacityProviderArns };
        this.revisions.set(daemonRevisionArn, placement);
        this.placements.set(daemonArn, placement);
        return;
      }
      case 'DaemonRevisionRestored': {
        const restored = this.revisions.get(event.data.revisionArn);
        if (restored) this.placements.set(event.data.daemonArn, restored);
        return;
      }
      case 'DaemonDeletionRequested':
      case 'DaemonRemoved':
        this.placements.delete(event.data.daemonArn);
        return;
      default:
        return;
    }
  }

  private launch(instanceId: string, daemon: PlannedDaemonTask, now: number): FleetEvent {
    return { type: 'DaemonTaskLaunched', data: { instanceId, taskArn: `task-${randomUUID()}`, daemon, launchedAt: now, runsAt: now } };
  }

  private provisioning(provider: { state: ActiveProvider }, instanceId: string, daemons: readonly PlannedDaemonTask[], replacing: { instanceId: string; deploymentId: string } | null): FleetEvent {
    return {
      type: 'InstanceProvisioningStarted',
      data: {
        instanceId,
        containerInstanceArn: `arn:aws:ecs:${this.scope.region}:${this.scope.accountId}:container-instance/${this.clusterName}/${instanceId}`,
        capacityProviderArn: provider.state.capacityProviderArn,
        clusterArn: `arn:aws:ecs:${this.scope.region}:${this.scope.accountId}:cluster/${this.clusterName}`,
        reason: replacing ? 'REPLACEMENT' : 'EMULATOR_REQUEST',
        replacesInstanceId: replacing?.instanceId ?? null,
        deploymentId: replacing?.deploymentId ?? null,
        daemons,
        startedAt: Date.now(),
        registersAt: Date.now(),
      },
    };
  }

  /**
   * Appends the events, folded into the fake's state, in appends of at most the store's MAX_EVENTS_PER_APPEND
   * (a real fleet must keep a drain and its replacement in one append; this fake splits only larger commands).
   * Answers the position of the last event.
   */
  private async append(provider: { stream: string; version: number; state: ActiveProvider }, events: readonly CapacityProviderEvent[]): Promise<number> {
    let position = 0;
    for (let from = 0; from < events.length; from += MAX_EVENTS_PER_APPEND) {
      const part = events.slice(from, from + MAX_EVENTS_PER_APPEND);
      const appended = await this.store.appendToStream(provider.stream, part.map(toNew), { expectedVersion: provider.version });
      provider.version = appended.streamVersion;
      for (const event of part) capacityProviderDecider.evolve(provider.state, event);
      position = appended.globalPosition;
    }
    return position;
  }

  private record(capacityProviderArn: string): CapacityProviderRecord[] {
    const provider = this.providers.get(capacityProviderArn);
    if (!provider) return [];
    const { name, type, clusterName } = provider.state;
    return [{ capacityProviderArn, name, type, clusterName, status: 'ACTIVE' }];
  }

  /** Commands and the lifecycle ticker change the same streams: their appends run one at a time. */
  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writes.then(work);
    this.writes = result.catch(() => undefined);
    return result;
  }

  private nextInstanceId(): string {
    return `i-${(++this.launched).toString(16).padStart(17, '0')}`;
  }
}

const fenceOf = ({ deploymentId, fence }: { deploymentId: string; fence: number }) => ({ deploymentId, fence, now: Date.now() });

const toNew = (event: CapacityProviderEvent) => ({
  type: event.type,
  data: event.data,
  metadata: { eventId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 },
});
