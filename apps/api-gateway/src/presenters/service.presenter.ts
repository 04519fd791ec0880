import type { ServiceTaskCount } from '@daemonfleet/domain';
import type { KnownService } from '../read-models/service.queries.js';
import { lastArnPart } from './arn-parts.js';
import { epochSeconds } from './epoch-seconds.js';

/**
 * DescribeServices' `service`, with its tasks as the fleet counts them now (serviceTaskCount: a task moving off a
 * draining instance and its replacement count once): pending are the PROVISIONING and PENDING ones.
 */
export function presentService(service: KnownService, tasks: Pick<ServiceTaskCount, 'counted' | 'running'>) {
  return {
    serviceArn: service.serviceArn,
    serviceName: service.serviceName,
    clusterArn: service.clusterArn,
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: tasks.running,
    pendingCount: tasks.counted - tasks.running,
    taskDefinition: service.taskDefinitionArn,
    capacityProviderStrategy: service.capacityProviderStrategy.map(({ capacityProviderArn, weight, base }) => ({
      capacityProvider: lastArnPart(capacityProviderArn),
      weight,
      base,
    })),
    schedulingStrategy: 'REPLICA',
    createdAt: epochSeconds(service.createdAt),
    tags: [...service.tags],
  };
}
