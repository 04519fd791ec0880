import type { CapacityProviderEvent } from '@daemonfleet/contracts';
import type { FleetState } from '@daemonfleet/domain';

/** Where a task runs: its provider's stream and its instance. */
export interface TaskLocation {
  readonly streamId: string;
  readonly instanceId: string;
}

/**
 * Finds a task of the fleet by ARN without scanning the fleet (10,000 instances are in scope; a client describes
 * tasks one by one). It holds locations only: the providers' folded states stay the one source of what a task is.
 */
export class TaskLocator {
  private tasks = new Map<string, TaskLocation>();

  /** Takes one event of a provider's stream, before it is folded into `fleet`: a removal reads what it removes. */
  apply(streamId: string, event: CapacityProviderEvent, fleet: FleetState): void {
    // Neither names an instance that has tasks yet; a deployment's fence names none at all.
    if (event.type === 'CapacityProviderCreated' || event.type === 'InstanceProvisioningStarted' || event.type === 'DeploymentFenceAdvanced') return;
    const instance = fleet.instances.get(event.data.instanceId);
    // The fold ignores events of unknown instances; so does the locator.
    if (!instance) return;
    switch (event.type) {
      case 'DaemonTaskLaunched': {
        const replaced = instance.daemonTasks.get(event.data.daemon.daemonArn);
        if (replaced) this.tasks.delete(replaced.taskArn);
        this.tasks.set(event.data.taskArn, { streamId, instanceId: instance.instanceId });
        return;
      }
      case 'AppTaskPlaced':
        this.tasks.set(event.data.taskArn, { streamId, instanceId: instance.instanceId });
        return;
      case 'AppTaskStopped':
        this.tasks.delete(event.data.taskArn);
        return;
      case 'InstanceDeregistered':
        for (const task of [...instance.daemonTasks.values(), ...instance.appTasks.values()]) this.tasks.delete(task.taskArn);
        return;
      default:
        // The other events change what a task is, not where.
        return;
    }
  }

  locate(taskArn: string): TaskLocation | undefined {
    return this.tasks.get(taskArn);
  }

  /** What it holds, as plain data: its part of a read-model snapshot. */
  content(): Map<string, TaskLocation> {
    return this.tasks;
  }

  /** Replaces everything it holds (a snapshot's content, or nothing to start over). */
  restore(content = new Map<string, TaskLocation>()): void {
    this.tasks = content;
  }
}
