import { Inject, Injectable } from '@nestjs/common';
import type { FleetIds, FleetTimings } from '@daemonfleet/domain';
import { IDS, SERVICE_CONFIG, type IdGenerator, type ServiceConfig } from '@daemonfleet/service-runtime';

/** What the simulated fleet's commands are given: the configured durations scaled by TIME_SCALE, and random ids. */
@Injectable()
export class FleetSimulation {
  readonly timings: FleetTimings;
  readonly tasksPerInstance: number;
  readonly ids: FleetIds;

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig, @Inject(IDS) ids: IdGenerator) {
    const { simulation, timeScale } = config;
    const scaled = (seconds: number) => Math.round((seconds * 1000) / timeScale);
    this.timings = {
      instanceProvisioningMs: scaled(simulation.instanceProvisioningSeconds),
      daemonTaskStartMs: scaled(simulation.daemonTaskStartSeconds),
      appTaskStartMs: scaled(simulation.appTaskStartSeconds),
      drainMs: scaled(simulation.drainSeconds),
      retryBackoffMs: scaled(simulation.retryBackoffSeconds),
      retryBackoffMaxMs: scaled(simulation.retryBackoffMaxSeconds),
    };
    this.tasksPerInstance = simulation.tasksPerInstance;
    this.ids = { next: (kind) => (kind === 'instance' ? ids.instanceId() : ids.taskId()) };
  }
}
