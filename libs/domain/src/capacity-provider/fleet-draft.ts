import type { FleetEvent } from '@daemonfleet/contracts';
import { evolveFleet, type FleetState, type InstanceState } from '../fleet/fleet.state.js';

/**
 * A fleet a command decides on: its events are folded into the draft as they are decided, so each decision sees
 * the state after the ones before it, while the provider's state, which evolveFleet changes in place, stays as it
 * was until the events are stored. Only the instances the command reads are copied.
 *
 * `maxEvents` bounds one decision (an append holds at most 1000 events): `emit` takes a group of events only when
 * all of them fit, and once one group did not, takes no more. Callers emit groups that are valid on their own.
 */
export class FleetDraft {
  readonly fleet: FleetState;
  readonly events: FleetEvent[] = [];
  private exhausted = false;

  constructor(
    base: FleetState,
    private readonly maxEvents = Number.POSITIVE_INFINITY,
  ) {
    this.fleet = { instances: new CopyOnReadInstances(base.instances), fences: new Map(base.fences) };
  }

  instance(instanceId: string): InstanceState | undefined {
    return this.fleet.instances.get(instanceId);
  }

  /** Folds and records the events if they all fit; answers whether they did. */
  emit(...events: FleetEvent[]): boolean {
    if (this.exhausted || this.events.length + events.length > this.maxEvents) {
      this.exhausted = true;
      return false;
    }
    for (const event of events) {
      this.events.push(event);
      evolveFleet(this.fleet, event);
    }
    return true;
  }

  /** True once a group did not fit: the decision stops there, and the next one goes on from the stored state. */
  get full(): boolean {
    return this.exhausted;
  }
}

/**
 * The draft's instance map: an instance is copied from the base the first time it is read, and every later read
 * and change goes to that copy; removals hide the base's instance. evolveFleet only gets, sets and deletes, which is
 * all this map supports faithfully (its iteration and size cover the copies only).
 */
class CopyOnReadInstances extends Map<string, InstanceState> {
  private readonly removed = new Set<string>();

  constructor(private readonly base: ReadonlyMap<string, InstanceState>) {
    super();
  }

  override get(instanceId: string): InstanceState | undefined {
    const copied = super.get(instanceId);
    if (copied || this.removed.has(instanceId)) return copied;
    const original = this.base.get(instanceId);
    if (!original) return undefined;
    const copy = copyInstance(original);
    super.set(instanceId, copy);
    return copy;
  }

  override has(instanceId: string): boolean {
    return this.get(instanceId) !== undefined;
  }

  override set(instanceId: string, instance: InstanceState): this {
    this.removed.delete(instanceId);
    return super.set(instanceId, instance);
  }

  override delete(instanceId: string): boolean {
    const existed = this.has(instanceId);
    this.removed.add(instanceId);
    super.delete(instanceId);
    return existed;
  }
}

/** A copy deep enough that folding into it changes nothing of the original: evolveFleet mutates tasks in place. */
function copyInstance(instance: InstanceState): InstanceState {
  return {
    ...instance,
    plannedDaemons: [...instance.plannedDaemons],
    daemonTasks: new Map([...instance.daemonTasks].map(([daemonArn, task]) => [daemonArn, { ...task }])),
    appTasks: new Map([...instance.appTasks].map(([taskArn, task]) => [taskArn, { ...task }])),
  };
}
