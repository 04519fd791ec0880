import { Module, type DynamicModule } from '@nestjs/common';
import { infrastructureProviders, loggerModule, type ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { CapacityProviderMessageController } from './capacity-providers/capacity-provider.message-controller.js';
import { CapacityProviders } from './capacity-providers/capacity-providers.js';
import { ClusterMessageController } from './clusters/cluster.message-controller.js';
import { DeleteClusterMessageController } from './clusters/delete-cluster.message-controller.js';
import { faultProviders } from './faults/fault-providers.js';
import { FaultRuleMessageController } from './faults/fault-rule.message-controller.js';
import { aggregateProviders } from './fleet.aggregates.js';
import { FleetEventsSubscription } from './fleet-events.subscription.js';
import { PingMessageController } from './health/ping.message-controller.js';
import { InstanceMessageController } from './instances/instance.message-controller.js';
import { fleetMetricsProviders } from './metrics/fleet-metrics.providers.js';
import { LiveServices } from './services/live-services.js';
import { ServiceMessageController } from './services/service.message-controller.js';
import { ServiceReconciler } from './services/service-reconciler.js';
import { DaemonPlacements } from './simulation/daemon-placements.js';
import { FleetSimulation } from './simulation/fleet-simulation.js';
import { FleetTicker } from './simulation/fleet-ticker.js';
import { TaskDefinitionMessageController } from './task-definitions/task-definition.message-controller.js';

/**
 * The simulated fleet (docs/rollout.md): clusters, capacity providers and their instances, daemon and application
 * tasks, services and application task definitions; the ticker that moves the simulation on, and the reconciler
 * that keeps services at their desired count.
 */
@Module({})
export class FleetAgentModule {
  static register(infrastructure: ServiceInfrastructure): DynamicModule {
    return {
      module: FleetAgentModule,
      imports: [loggerModule({ service: infrastructure.processName, level: infrastructure.config.logLevel, kind: 'microservice' })],
      controllers: [
        ClusterMessageController,
        DeleteClusterMessageController,
        CapacityProviderMessageController,
        InstanceMessageController,
        TaskDefinitionMessageController,
        ServiceMessageController,
        PingMessageController,
        FaultRuleMessageController,
      ],
      providers: [
        ...infrastructureProviders(infrastructure),
        ...aggregateProviders,
        CapacityProviders,
        FleetSimulation,
        DaemonPlacements,
        LiveServices,
        FleetTicker,
        ServiceReconciler,
        FleetEventsSubscription,
        ...fleetMetricsProviders(infrastructure),
        ...faultProviders,
      ],
    };
  }
}
