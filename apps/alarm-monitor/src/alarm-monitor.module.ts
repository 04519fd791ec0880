import { Module, type DynamicModule } from '@nestjs/common';
import { infrastructureProviders, loggerModule, type ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { AlarmStateMessageController } from './alarms/alarm-state.message-controller.js';
import { PingMessageController } from './health/ping.message-controller.js';

/** CloudWatch-style metric alarms, which deployments watch. */
@Module({})
export class AlarmMonitorModule {
  static register(infrastructure: ServiceInfrastructure): DynamicModule {
    return {
      module: AlarmMonitorModule,
      imports: [loggerModule({ service: infrastructure.processName, level: infrastructure.config.logLevel, kind: 'microservice' })],
      controllers: [AlarmStateMessageController, PingMessageController],
      providers: infrastructureProviders(infrastructure),
    };
  }
}
