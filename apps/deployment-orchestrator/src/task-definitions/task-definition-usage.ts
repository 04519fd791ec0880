import { Injectable } from '@nestjs/common';
import { StreamCategory, type DaemonEvent, type DaemonTaskDefinitionEvent } from '@daemonfleet/contracts';
import { currentRevision, evolveDaemon, initialDaemonState, isLiveDaemon, type DaemonState } from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { FleetProjection } from '../fleet/fleet-projection.js';

/**
 * Which daemon task definitions are still in use, so a DELETE_IN_PROGRESS one becomes DELETED once none is
 * (spec 1.5): a definition is used by a live daemon (ACTIVE or DELETE_IN_PROGRESS, not removed) whose current
 * revision names it (ACTIVE daemons only), or one of whose revisions naming it is still on an instance.
 * Folded from the daemon and task definition events; the instances come from the fleet projection.
 */
@Injectable()
export class TaskDefinitionUsage {
  private readonly daemons = new Map<string, DaemonState>();
  /** DELETE_IN_PROGRESS task definitions, by ARN. */
  private readonly deleting = new Set<string>();

  constructor(private readonly fleet: FleetProjection) {}

  apply(event: RecordedEvent): void {
    if (event.streamId.startsWith(`${StreamCategory.daemon}-`)) {
      this.daemons.set(event.streamId, evolveDaemon(this.daemons.get(event.streamId) ?? initialDaemonState(), event as unknown as DaemonEvent));
      return;
    }
    const { type, data } = event as unknown as DaemonTaskDefinitionEvent;
    if (type === 'DaemonTaskDefinitionDeletionRequested') this.deleting.add(data.daemonTaskDefinitionArn);
    if (type === 'DaemonTaskDefinitionDeleted') this.deleting.delete(data.daemonTaskDefinitionArn);
  }

  isUsed(daemonTaskDefinitionArn: string): boolean {
    for (const daemon of this.daemons.values()) {
      if (!isLiveDaemon(daemon)) continue;
      if (daemon.status === 'ACTIVE' && currentRevision(daemon)?.daemonTaskDefinitionArn === daemonTaskDefinitionArn) return true;
      const naming = new Set(daemon.revisions.filter((r) => r.daemonTaskDefinitionArn === daemonTaskDefinitionArn).map((r) => r.daemonRevisionArn));
      if (naming.size > 0 && this.fleet.revisionsOnInstances(daemon.daemonArn).some((arn) => naming.has(arn))) return true;
    }
    return false;
  }

  /** The DELETE_IN_PROGRESS task definitions nothing uses any more. */
  unusedDeleting(): string[] {
    return [...this.deleting].filter((arn) => !this.isUsed(arn));
  }
}
