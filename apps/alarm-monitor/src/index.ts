import type { INestMicroservice } from '@nestjs/common';
import { ServiceName } from '@daemonfleet/contracts';
import { bootstrapMicroservice, type ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { AlarmMonitorModule } from './alarm-monitor.module.js';

export { AlarmMonitorModule };

export function startAlarmMonitor(infrastructure: ServiceInfrastructure): Promise<INestMicroservice> {
  return bootstrapMicroservice(AlarmMonitorModule.register(infrastructure), infrastructure, ServiceName.alarms);
}
