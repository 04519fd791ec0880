import { Module, type DynamicModule } from '@nestjs/common';
import { RpcClientModule } from '@daemonfleet/messaging';
import { infrastructureProviders, loggerModule, type ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { AlarmProjection } from './alarms/alarm-projection.js';
import { Collaborators } from './collaborators/collaborators.js';
import { CreateDaemonHandler } from './daemons/create-daemon.handler.js';
import { DaemonLifecycleReactions } from './daemons/daemon-lifecycle.reactions.js';
import { DaemonMessageController } from './daemons/daemon.message-controller.js';
import { DeleteDaemonHandler } from './daemons/delete-daemon.handler.js';
import { RevisionRequestLookup } from './daemons/revision-request-lookup.js';
import { UpdateDaemonHandler } from './daemons/update-daemon.handler.js';
import { ActiveDeployments } from './deployments/active-deployments.js';
import { DeploymentOpener } from './deployments/deployment-opener.js';
import { DeploymentReconciler } from './deployments/deployment-reconciler.js';
import { DeploymentStatusMetrics } from './deployments/deployment-status.metrics.js';
import { FleetCommandSender } from './deployments/fleet-command-sender.js';
import { PreviousRevisions } from './deployments/previous-revisions.js';
import { FleetProjection } from './fleet/fleet-projection.js';
import { PingMessageController } from './health/ping.message-controller.js';
import { aggregateProviders } from './orchestrator.aggregates.js';
import { OrchestratorEventsSubscription } from './orchestrator-events.subscription.js';
import { OrchestratorViews } from './orchestrator-views.js';
import { DaemonTaskDefinitionMessageController } from './task-definitions/daemon-task-definition.message-controller.js';
import { TaskDefinitionDeletionReactions } from './task-definitions/task-definition-deletion.reactions.js';
import { TaskDefinitionUsage } from './task-definitions/task-definition-usage.js';

/** Daemon task definitions, daemons, their revisions and deployments, and the loop that carries deployments out. */
@Module({})
export class DeploymentOrchestratorModule {
  static register(infrastructure: ServiceInfrastructure): DynamicModule {
    return {
      module: DeploymentOrchestratorModule,
      imports: [
        loggerModule({ service: infrastructure.processName, level: infrastructure.config.logLevel, kind: 'microservice' }),
        RpcClientModule.register(infrastructure.transport, { defaultTimeoutMs: infrastructure.config.requestTimeoutMs }),
      ],
      controllers: [DaemonTaskDefinitionMessageController, DaemonMessageController, PingMessageController],
      providers: [
        ...infrastructureProviders(infrastructure),
        ...aggregateProviders,
        Collaborators,
        FleetProjection,
        AlarmProjection,
        ActiveDeployments,
        PreviousRevisions,
        TaskDefinitionUsage,
        DeploymentStatusMetrics,
        OrchestratorViews,
        RevisionRequestLookup,
        DeploymentOpener,
        CreateDaemonHandler,
        UpdateDaemonHandler,
        DeleteDaemonHandler,
        FleetCommandSender,
        DeploymentReconciler,
        DaemonLifecycleReactions,
        TaskDefinitionDeletionReactions,
        OrchestratorEventsSubscription,
      ],
    };
  }
}
