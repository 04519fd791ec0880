import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RpcClientModule } from '@daemonfleet/messaging';
import { infrastructureProviders, loggerModule, type ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { AWS_CONTROLLERS, AWS_PROVIDERS } from './aws/aws.providers.js';
import { FaultRuleQueries } from './faults/fault-rule.queries.js';
import { FaultsController } from './faults/faults.controller.js';
import { AlarmQueries } from './alarms/alarm.queries.js';
import { AlarmsController } from './alarms/alarms.controller.js';
import { MetricsController } from './alarms/metrics.controller.js';
import { HealthController } from './health/health.controller.js';
import { DaemonTaskDefinitionQueries } from './read-models/daemon-task-definition.queries.js';
import { DaemonQueries } from './read-models/daemon.queries.js';
import { FleetQueries } from './read-models/fleet.queries.js';
import { InstanceQueries } from './read-models/instance.queries.js';
import { ReadModelFeed } from './read-models/read-model-feed.js';
import { ReadModels } from './read-models/read-models.js';
import { ServiceQueries } from './read-models/service.queries.js';
import { REPLAY_CONTROLLERS, REPLAY_PROVIDERS } from './replay/replay.providers.js';
import { TaskDefinitionQueries } from './read-models/task-definition.queries.js';
import { CapacityProvidersController } from './rest/capacity-providers.controller.js';
import { ClustersController } from './rest/clusters.controller.js';
import { ContainerInstancesController } from './rest/container-instances.controller.js';
import { DaemonRevisionsController } from './rest/daemon-revisions.controller.js';
import { DaemonTaskDefinitionsController } from './rest/daemon-task-definitions.controller.js';
import { DaemonsController } from './rest/daemons.controller.js';
import { DeploymentsController } from './rest/deployments.controller.js';
import { GatewayCommands } from './rest/gateway-commands.js';
import { ServicesController } from './rest/services.controller.js';
import { TaskDefinitionsController } from './rest/task-definitions.controller.js';
import { TasksController } from './rest/tasks.controller.js';

/** The HTTP edge: commands go to the owning service, queries are answered from the read models. */
@Module({})
export class ApiGatewayModule {
  static register(infrastructure: ServiceInfrastructure): DynamicModule {
    return {
      module: ApiGatewayModule,
      imports: [
        loggerModule({ service: infrastructure.processName, level: infrastructure.config.logLevel, kind: 'http' }),
        RpcClientModule.register(infrastructure.transport, { defaultTimeoutMs: infrastructure.config.requestTimeoutMs }),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [
        ClustersController,
        CapacityProvidersController,
        ContainerInstancesController,
        TasksController,
        TaskDefinitionsController,
        ServicesController,
        DaemonTaskDefinitionsController,
        DaemonsController,
        DaemonRevisionsController,
        DeploymentsController,
        FaultsController,
        AlarmsController,
        MetricsController,
        HealthController,
        ...AWS_CONTROLLERS,
        ...REPLAY_CONTROLLERS,
      ],
      providers: [
        ...infrastructureProviders(infrastructure),
        ReadModels,
        ReadModelFeed,
        FleetQueries,
        DaemonTaskDefinitionQueries,
        DaemonQueries,
        InstanceQueries,
        ServiceQueries,
        TaskDefinitionQueries,
        GatewayCommands,
        AlarmQueries,
        FaultRuleQueries,
        ...AWS_PROVIDERS,
        ...REPLAY_PROVIDERS,
      ],
    };
  }
}
