import { Module, type DynamicModule } from '@nestjs/common';
import { infrastructureProviders, loggerModule, type ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { alarmAggregatesProvider } from './alarm.aggregates.js';
import { AlarmMessageController } from './alarms/alarm.message-controller.js';
import { AlarmRegistry } from './alarms/alarm-registry.js';
import { AlarmStateMessageController } from './alarms/alarm-state.message-controller.js';
import { AlarmEvaluator } from './evaluation/alarm-evaluator.js';
import { PingMessageController } from './health/ping.message-controller.js';
import { MetricDataMessageController } from './metrics/metric-data.message-controller.js';
import { MetricWindows } from './metrics/metric-windows.js';

/**
 * CloudWatch-style metric alarms, which deployments watch: the alarms (put, set state, delete), the metric data they
 * watch, and their evaluation in simulated time.
 */
@Module({})
export class AlarmMonitorModule {
  static register(infrastructure: ServiceInfrastructure): DynamicModule {
    return {
      module: AlarmMonitorModule,
      imports: [loggerModule({ service: infrastructure.processName, level: infrastructure.config.logLevel, kind: 'microservice' })],
      controllers: [AlarmMessageController, AlarmStateMessageController, MetricDataMessageController, PingMessageController],
      providers: [...infrastructureProviders(infrastructure), alarmAggregatesProvider, AlarmRegistry, MetricWindows, AlarmEvaluator],
    };
  }
}
