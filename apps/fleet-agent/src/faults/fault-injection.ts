import { Inject, Injectable } from '@nestjs/common';
import type { FleetFaults } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { DaemonImages } from './daemon-images.js';
import { FaultRuleView } from './fault-rule.view.js';
import { mulberry32 } from './seeded-random.js';

/**
 * What the simulation's step (AdvanceFleet) is given to decide failures with: the rules in force, the images of the
 * daemon task definitions, and one random source per process seeded from FAULT_SEED (see mulberry32 for when runs
 * repeat). The domain draws only for a rule that matches, so with no rule nothing is drawn.
 */
@Injectable()
export class FaultInjection {
  private readonly draw: () => number;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    private readonly rules: FaultRuleView,
    private readonly images: DaemonImages,
  ) {
    this.draw = mulberry32(config.faultSeed);
  }

  /** Undefined while no rule is in force: nothing can fail. */
  current(): FleetFaults | undefined {
    const rules = this.rules.active();
    if (rules.length === 0) return undefined;
    return { rules, images: this.images.all(), draw: this.draw };
  }
}
