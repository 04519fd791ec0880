import type { EpochMillis, FleetEvent, PlannedDaemonTask } from '@daemonfleet/contracts';
import type { DaemonPlacement } from '../../capacity-provider/fleet-simulation.js';
import { evolveFleet, holdsActivation, initialFleetState, type FleetState, type InstanceState } from '../../fleet/fleet.state.js';
import { initialFailedStarts, recordFailedStart } from '../failed-starts.js';
import type { PendingFleetCommand } from '../fleet-commands.js';

/**
 * A test fake of the fleet for the rollout's unit tests: the instances of a few providers, folded from fleet events
 * with the domain's `evolveFleet`, answering StartInstanceDrains and AdoptDaemonTasks as the contract says
 * (fenced, each accepted command recording its fence, idempotent per instance, the replacement provisioned in the
 * same append), and moving instances along their lifecycle one transition at a time, in whatever order a test
 * chooses. Daemon tasks of the revisions in `failing` fail to start, every attempt, and are retried on their instance
 * (decision 21) unless it drains; the failures are counted as the orchestrator counts them (`failedStarts`). As the
 * real fleet (AdvanceFleet), a retry on an instance not ACTIVE yet launches the daemon's current revision
 * (`placements`: during a rollback, the revision rolled back to) when it lists the instance's provider and differs
 * from the one that failed.
 */
export class SimulatedFleet {
  readonly fleets = new Map<string, FleetState>();
  /** Every fleet event, in order, with its provider. */
  readonly log: { readonly capacityProviderArn: string; readonly event: FleetEvent }[] = [];
  /** Daemon revision ARNs whose tasks fail to start. */
  readonly failing = new Set<string>();
  readonly failedStarts = initialFailedStarts();
  /** Each daemon's current revision, by daemon ARN, as the fleet agent learns it from the daemon events. None: a retry relaunches what failed. */
  readonly placements = new Map<string, DaemonPlacement>();
  now: EpochMillis = 1_742_040_000_000;
  private launched = 0;

  constructor(capacityProviderArns: readonly string[]) {
    for (const arn of capacityProviderArns) this.fleets.set(arn, initialFleetState());
  }

  instances(): InstanceState[] {
    return [...this.fleets.values()].flatMap((fleet) => [...fleet.instances.values()]);
  }

  instance(instanceId: string): InstanceState | undefined {
    for (const fleet of this.fleets.values()) {
      const found = fleet.instances.get(instanceId);
      if (found) return found;
    }
    return undefined;
  }

  /** A new instance, REGISTERING, that will launch `daemons` once registered. */
  provision(
    capacityProviderArn: string,
    daemons: readonly PlannedDaemonTask[],
    { replacing, instanceId = this.nextInstanceId() }: { replacing?: { instanceId: string; deploymentId: string }; instanceId?: string } = {},
  ): string {
    this.append(capacityProviderArn, [
      {
        type: 'InstanceProvisioningStarted',
        data: {
          instanceId,
          containerInstanceArn: `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${instanceId}`,
          capacityProviderArn,
          clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
          reason: replacing ? 'REPLACEMENT' : 'SERVICE_SCALE_OUT',
          replacesInstanceId: replacing?.instanceId ?? null,
          deploymentId: replacing?.deploymentId ?? null,
          daemons,
          startedAt: this.now,
          registersAt: this.now,
        },
      },
    ]);
    return instanceId;
  }

  /** Moves the instance along until nothing more is due for it (ACTIVE, or gone once drained and replaced). */
  settle(instanceId: string): void {
    while (this.advance(instanceId));
  }

  /** Applies the instance's next transition, if one is due; answers whether one was. */
  advance(instanceId: string): boolean {
    const step = this.stepFor(instanceId);
    step?.();
    return step !== undefined;
  }

  /** Every transition that could happen next, one per instance at most; applying one changes only its instance. */
  possibleSteps(): (() => void)[] {
    return this.instances()
      .map((instance) => this.stepFor(instance.instanceId))
      .filter((step): step is () => void => step !== undefined);
  }

  /** The fleet's side of the contract. Answers whether the command was accepted (a stale fence is refused). */
  handle(command: PendingFleetCommand, fence: number): boolean {
    const { deploymentId, capacityProviderArn, daemonArn, instanceIds } = command.data;
    const fleet = this.fleets.get(capacityProviderArn)!;
    if (fence < (fleet.fences.get(deploymentId) ?? 0)) return false;
    for (const instanceId of instanceIds) {
      const instance = fleet.instances.get(instanceId);
      if (!instance) continue;
      if (command.type === 'AdoptDaemonTasks') {
        const task = instance.daemonTasks.get(daemonArn);
        if (task && task.daemon.daemonRevisionArn !== command.data.toRevisionArn)
          this.append(capacityProviderArn, [
            {
              type: 'DaemonTaskAdopted',
              data: { instanceId, taskArn: task.taskArn, daemonArn, fromRevisionArn: task.daemon.daemonRevisionArn, toRevisionArn: command.data.toRevisionArn, deploymentId, fence, adoptedAt: this.now },
            },
          ]);
        continue;
      }
      // Idempotent: an instance already draining (for this deployment or another) is left as it is.
      if (instance.drain !== null) continue;
      this.drain(instance, deploymentId, fence, daemonArn, command.data.replacementDaemon);
    }
    // As the real fleet: the fence of a deployment only moves forward, on any accepted command, even one that changed
    // nothing (the drains and adoptions above record it; DeploymentFenceAdvanced, not a fleet event, is not logged).
    const seen = fleet.fences.get(deploymentId);
    if (seen === undefined || seen < fence) evolveFleet(fleet, { type: 'DeploymentFenceAdvanced', data: { deploymentId, fence, advancedAt: this.now } });
    return true;
  }

  /** Drains the instance for a deployment; the replacement keeps the instance's other daemons (spec 3.9). */
  drain(instance: InstanceState, deploymentId: string, fence: number, daemonArn: string, replacementDaemon: PlannedDaemonTask | null): string {
    const others = [...instance.daemonTasks.values()].map((t) => t.daemon).concat(instance.plannedDaemons).filter((d) => d.daemonArn !== daemonArn);
    const replacementInstanceId = this.nextInstanceId();
    this.append(instance.capacityProviderArn, [
      { type: 'InstanceDrainStarted', data: { instanceId: instance.instanceId, deploymentId, fence, replacementInstanceId, startedAt: this.now } },
    ]);
    return this.provision(instance.capacityProviderArn, replacementDaemon ? [...others, replacementDaemon] : others, {
      replacing: { instanceId: instance.instanceId, deploymentId },
      instanceId: replacementInstanceId,
    });
  }

  /** Ids as EC2's: `i-` and 17 hex digits, never reused. */
  private nextInstanceId(): string {
    return `i-${(++this.launched).toString(16).padStart(17, '0')}`;
  }

  private stepFor(instanceId: string): (() => void) | undefined {
    const instance = this.instance(instanceId);
    if (!instance) return undefined;
    const provider = instance.capacityProviderArn;
    const emit = (event: FleetEvent) => () => this.append(provider, [event]);
    if (instance.registeredAt === null) return emit({ type: 'InstanceRegistered', data: { instanceId, registeredAt: this.now } });
    const [planned] = instance.plannedDaemons;
    if (planned)
      return emit({ type: 'DaemonTaskLaunched', data: { instanceId, taskArn: `${instanceId}/${planned.daemonArn}`, daemon: planned, launchedAt: this.now, runsAt: this.now } });
    const tasks = [...instance.daemonTasks.values()];
    const pending = tasks.find((task) => task.status === 'PENDING');
    if (pending && this.failing.has(pending.daemon.daemonRevisionArn))
      return emit({
        type: 'DaemonTaskFailedToStart',
        data: {
          instanceId,
          taskArn: pending.taskArn,
          daemon: pending.daemon,
          failureType: 'TASK_FAILED_TO_RUN',
          reason: 'Essential container in task exited',
          attempt: pending.failedAttempts + 1,
          failedAt: this.now,
          retryAt: this.now + 1,
        },
      });
    if (pending) return emit({ type: 'DaemonTaskStarted', data: { instanceId, taskArn: pending.taskArn, daemonArn: pending.daemon.daemonArn, startedAt: this.now } });
    // Activated before a retry is due, as the real fleet does at the failure's time: a non-critical task that failed does not hold it back.
    if (instance.status === 'REGISTERING' && !tasks.some(holdsActivation)) return emit({ type: 'InstanceActivated', data: { instanceId, activatedAt: this.now } });
    const retried = tasks.find((task) => task.status === 'STOPPED' && task.retryAt! <= this.now && instance.status !== 'DRAINING');
    if (retried)
      return emit({
        type: 'DaemonTaskLaunched',
        data: { instanceId, taskArn: `${instanceId}/${retried.daemon.daemonArn}/${retried.failedAttempts}`, daemon: this.retried(instance, retried.daemon), launchedAt: this.now, runsAt: this.now },
      });
    if (instance.drain !== null) {
      const replacement = this.instance(instance.drain.replacementInstanceId);
      if (!replacement || replacement.status === 'ACTIVE') return emit({ type: 'InstanceDeregistered', data: { instanceId, deregisteredAt: this.now } });
    }
    return undefined;
  }

  /** What a retry launches (AdvanceFleet's rule): the daemon's current revision on an instance not ACTIVE yet, else the same task. */
  private retried(instance: InstanceState, failed: PlannedDaemonTask): PlannedDaemonTask {
    const current = this.placements.get(failed.daemonArn);
    if (instance.activatedAt !== null || !current?.capacityProviderArns.includes(instance.capacityProviderArn) || current.daemonRevisionArn === failed.daemonRevisionArn) return failed;
    const { daemonArn, daemonRevisionArn, daemonTaskDefinitionArn, critical } = current;
    return { daemonArn, daemonRevisionArn, daemonTaskDefinitionArn, critical };
  }

  private append(capacityProviderArn: string, events: readonly FleetEvent[]): void {
    const fleet = this.fleets.get(capacityProviderArn)!;
    for (const event of events) {
      evolveFleet(fleet, event);
      if (event.type === 'DaemonTaskFailedToStart') recordFailedStart(this.failedStarts, fleet.instances.get(event.data.instanceId), event);
      this.log.push({ capacityProviderArn, event });
    }
  }
}
