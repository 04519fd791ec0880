import { Inject, Injectable } from '@nestjs/common';
import { Streams, type DaemonTaskDefinitionDeletionRequested } from '@daemonfleet/contracts';
import { parseEcsArn } from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { CLOCK, type Clock } from '@daemonfleet/service-runtime';
import { TASK_DEFINITION_FAMILIES, type TaskDefinitionFamilies } from '../orchestrator.aggregates.js';
import { TaskDefinitionUsage } from './task-definition-usage.js';

/** A DELETE_IN_PROGRESS daemon task definition becomes DELETED once nothing uses it (spec 1.5). Idempotent. */
@Injectable()
export class TaskDefinitionDeletionReactions {
  constructor(
    @Inject(TASK_DEFINITION_FAMILIES) private readonly families: TaskDefinitionFamilies,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly usage: TaskDefinitionUsage,
  ) {}

  /** FinishDeletionWhenUnused: a revision no live daemon uses is DELETED at once. */
  async finishDeletionWhenUnused(event: RecordedEvent): Promise<void> {
    const { daemonTaskDefinitionArn } = event.data as DaemonTaskDefinitionDeletionRequested['data'];
    if (!this.usage.isUsed(daemonTaskDefinitionArn)) await this.complete(daemonTaskDefinitionArn, event);
  }

  /**
   * FinishDeletionsWhenDaemonMovedOn: after a daemon moved off a revision (a new revision, a deployment done) or
   * was removed, the revisions waiting for their deletion are looked at again.
   */
  async finishDeletionsNoLongerUsed(event: RecordedEvent): Promise<void> {
    for (const arn of this.usage.unusedDeleting()) await this.complete(arn, event);
  }

  private async complete(daemonTaskDefinitionArn: string, event: RecordedEvent): Promise<void> {
    const arn = parseEcsArn(daemonTaskDefinitionArn)!;
    const separator = arn.path[0].lastIndexOf(':');
    const now = this.clock.now();
    await this.families.handle(
      Streams.daemonTaskDefinitionFamily(arn.scope, arn.path[0].slice(0, separator)),
      { type: 'CompleteDaemonTaskDefinitionDeletion', data: { revision: Number(arn.path[0].slice(separator + 1)), now } },
      { correlationId: event.metadata.correlationId ?? event.metadata.eventId, causationId: event.metadata.eventId, now },
    );
  }
}
