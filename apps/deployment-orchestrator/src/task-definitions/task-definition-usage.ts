import { Inject, Injectable } from '@nestjs/common';
import { StreamCategory, type DaemonRevisionCreated } from '@daemonfleet/contracts';
import type { EventStore } from '@daemonfleet/event-store';
import { EVENT_STORE } from '@daemonfleet/service-runtime';

/**
 * Whether any daemon has a revision that uses a daemon task definition. Asked only when a deletion is requested,
 * which is rare, so it reads the daemons' events rather than keeping an index in memory.
 */
@Injectable()
export class TaskDefinitionUsage {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async isUsed(daemonTaskDefinitionArn: string): Promise<boolean> {
    for (let position = 1; ; ) {
      const batch = await this.store.readAll({ fromPosition: position, maxCount: 1000, filter: { categories: [StreamCategory.daemon] } });
      if (batch.length === 0) return false;
      const used = batch.some(
        (event) => event.type === 'DaemonRevisionCreated' && (event.data as DaemonRevisionCreated['data']).revision.daemonTaskDefinitionArn === daemonTaskDefinitionArn,
      );
      if (used) return true;
      position = batch.at(-1)!.globalPosition + 1;
    }
  }
}
