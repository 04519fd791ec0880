import { Injectable } from '@nestjs/common';
import { activeFaultRule, type FaultRule } from '@daemonfleet/domain';
import { ReadModelFeed } from '../read-models/read-model-feed.js';
import { ReadModels } from '../read-models/read-models.js';

export type ActiveFaultRule = FaultRule & { readonly addedAt: number };

/** The fault rules in force, as the gateway's read models hold them; every answer reads its writes. */
@Injectable()
export class FaultRuleQueries {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: ReadModelFeed,
  ) {}

  /**
   * Oldest first. Every rule of the store: a rule applies to the whole simulated fleet, whatever the scope of the
   * request that added it (the fleet agent applies them all).
   */
  async active(): Promise<ActiveFaultRule[]> {
    await this.feed.fresh();
    return [...this.readModels.faultRules.values()]
      .flatMap((state) => activeFaultRule(state) ?? [])
      .sort((a, b) => a.addedAt - b.addedAt || a.faultId.localeCompare(b.faultId));
  }
}
