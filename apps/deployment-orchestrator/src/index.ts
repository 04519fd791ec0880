import type { INestMicroservice } from '@nestjs/common';
import { ServiceName } from '@daemonfleet/contracts';
import { bootstrapMicroservice, type ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { DeploymentOrchestratorModule } from './deployment-orchestrator.module.js';

export { DeploymentOrchestratorModule };

export function startDeploymentOrchestrator(infrastructure: ServiceInfrastructure): Promise<INestMicroservice> {
  return bootstrapMicroservice(DeploymentOrchestratorModule.register(infrastructure), infrastructure, ServiceName.orchestrator);
}
