import { Module, type DynamicModule } from '@nestjs/common';
import { infrastructureProviders, loggerModule, type ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { CapacityProviderMessageController } from './capacity-providers/capacity-provider.message-controller.js';
import { ClusterMessageController } from './clusters/cluster.message-controller.js';
import { PingMessageController } from './health/ping.message-controller.js';
import { InstanceMessageController } from './instances/instance.message-controller.js';

/** The simulated fleet: clusters, capacity providers and (with the rollout work) their instances and tasks. */
@Module({})
export class FleetAgentModule {
  static register(infrastructure: ServiceInfrastructure): DynamicModule {
    return {
      module: FleetAgentModule,
      imports: [loggerModule({ service: infrastructure.processName, level: infrastructure.config.logLevel, kind: 'microservice' })],
      controllers: [ClusterMessageController, CapacityProviderMessageController, InstanceMessageController, PingMessageController],
      providers: infrastructureProviders(infrastructure),
    };
  }
}
