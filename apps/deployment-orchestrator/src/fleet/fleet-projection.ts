import { Injectable } from '@nestjs/common';
import type { CapacityProviderEvent, FleetEvent } from '@daemonfleet/contracts';
import {
  capacityProviderDecider,
  failedStartsOf,
  initialFailedStarts,
  recordFailedStart,
  type CapacityProviderState,
  type FleetState,
  type InstanceState,
} from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';

/** What one fleet event changed, for routing reconciles: the provider, and the daemons on the instance before or after. */
export interface FleetChange {
  readonly capacityProviderArn: string;
  readonly daemonArns: ReadonlySet<string>;
  /** Whether the event can change a rollout decision (application task events cannot). */
  readonly concernsRollouts: boolean;
}

/** The instance lifecycle and daemon task events: the only fleet events reconcileDeployment looks at. */
const ROLLOUT_EVENTS: ReadonlySet<FleetEvent['type']> = new Set([
  'InstanceProvisioningStarted',
  'DaemonTaskLaunched',
  'DaemonTaskStarted',
  // The breaker's count (decision 1), and a critical task that failed holds its instance back (spec 3.8).
  'DaemonTaskFailedToStart',
  'DaemonTaskAdopted',
  'InstanceActivated',
  'InstanceDrainStarted',
  'InstanceDeregistered',
]);

/**
 * The orchestrator's own view of every capacity provider's fleet, folded from the providers' events with the
 * domain's capacityProviderDecider.evolve (which changes the fleet in place: this projection owns the states).
 * Indexed by daemon: which providers have instances running (or about to run) a task of it, so a reconcile
 * observes only the providers that concern its deployment, at a cost in O(their instances).
 * Also counts the failed daemon task starts on each deployment's replacements, per revision (`failedStartsOf`,
 * decision 1): the circuit breaker's observation, a fold like the rest, so replicas and restarts agree.
 * Events must be applied once each, in stream order (the caller's position guard sees to it).
 */
@Injectable()
export class FleetProjection {
  private readonly byStream = new Map<string, CapacityProviderState>();
  private readonly byArn = new Map<string, FleetState>();
  /** daemonArn → providerArn → instances of that provider with a task or a planned task of the daemon. */
  private readonly presence = new Map<string, Map<string, number>>();
  private readonly failedStarts = initialFailedStarts();

  apply(event: RecordedEvent): FleetChange | undefined {
    const before = this.byStream.get(event.streamId) ?? capacityProviderDecider.initialState();
    const instanceId = (event.data as { instanceId?: string }).instanceId;
    const daemonsBefore = before.status === 'ACTIVE' && instanceId ? daemonsOn(before.fleet.instances.get(instanceId)) : new Set<string>();
    const after = capacityProviderDecider.evolve(before, event as unknown as CapacityProviderEvent);
    this.byStream.set(event.streamId, after);
    if (after.status !== 'ACTIVE') return undefined;
    this.byArn.set(after.capacityProviderArn, after.fleet);
    if (event.type === 'DaemonTaskFailedToStart') {
      const failed = event as unknown as Extract<FleetEvent, { type: 'DaemonTaskFailedToStart' }>;
      recordFailedStart(this.failedStarts, after.fleet.instances.get(failed.data.instanceId), failed);
    }
    const daemonsAfter = instanceId ? daemonsOn(after.fleet.instances.get(instanceId)) : new Set<string>();
    for (const daemonArn of daemonsBefore) if (!daemonsAfter.has(daemonArn)) this.count(daemonArn, after.capacityProviderArn, -1);
    for (const daemonArn of daemonsAfter) if (!daemonsBefore.has(daemonArn)) this.count(daemonArn, after.capacityProviderArn, +1);
    return {
      capacityProviderArn: after.capacityProviderArn,
      daemonArns: new Set([...daemonsBefore, ...daemonsAfter]),
      concernsRollouts: ROLLOUT_EVENTS.has(event.type as FleetEvent['type']),
    };
  }

  /** The fleets of the given providers and of every provider where the daemon runs, each once. */
  fleetsFor(daemonArn: string, capacityProviderArns: readonly string[]): FleetState[] {
    const arns = new Set([...capacityProviderArns, ...(this.presence.get(daemonArn)?.keys() ?? [])]);
    return [...arns].flatMap((arn) => this.byArn.get(arn) ?? []);
  }

  /** Failed daemon task starts on the replacements the deployment launched, by revision ARN. */
  failedStartsOf(deploymentId: string): Readonly<Record<string, number>> {
    return failedStartsOf(this.failedStarts, deploymentId);
  }

  /** The daemon's revisions on instances (a task of it, or one about to launch): the daemon's current revisions. */
  revisionsOnInstances(daemonArn: string): string[] {
    const revisions = new Set<string>();
    for (const fleet of this.fleetsFor(daemonArn, [])) {
      for (const instance of fleet.instances.values()) {
        const revision = instance.daemonTasks.get(daemonArn)?.daemon.daemonRevisionArn ?? instance.plannedDaemons.find((d) => d.daemonArn === daemonArn)?.daemonRevisionArn;
        if (revision) revisions.add(revision);
      }
    }
    return [...revisions];
  }

  private count(daemonArn: string, capacityProviderArn: string, delta: number): void {
    const byProvider = this.presence.get(daemonArn) ?? new Map<string, number>();
    this.presence.set(daemonArn, byProvider);
    const count = (byProvider.get(capacityProviderArn) ?? 0) + delta;
    if (count > 0) byProvider.set(capacityProviderArn, count);
    else byProvider.delete(capacityProviderArn);
  }
}

function daemonsOn(instance: InstanceState | undefined): Set<string> {
  if (!instance) return new Set();
  return new Set([...instance.daemonTasks.keys(), ...instance.plannedDaemons.map((d) => d.daemonArn)]);
}
