import type { INestMicroservice } from '@nestjs/common';
import { ServiceName } from '@daemonfleet/contracts';
import { bootstrapMicroservice, type ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { FleetAgentModule } from './fleet-agent.module.js';

export { FleetAgentModule };

export function startFleetAgent(infrastructure: ServiceInfrastructure): Promise<INestMicroservice> {
  return bootstrapMicroservice(FleetAgentModule.register(infrastructure), infrastructure, ServiceName.fleet);
}
