import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateServiceDto, MessageMeta, ServiceRefDto, Streams, Subjects, UpdateServiceCommandDto, type CommandReply } from '@daemonfleet/contracts';
import {
  findTaskDefinition,
  resolveCapacityProviderReference,
  resolveClusterReference,
  resolveServiceReference,
  resolveTaskDefinitionReference,
  type CreateService,
  type ServiceCommand,
  type ServiceState,
} from '@daemonfleet/domain';
import { CLOCK, type Clock } from '@daemonfleet/service-runtime';
import { capacityProviderRecord } from '../capacity-providers/capacity-provider-record.js';
import { CapacityProviders } from '../capacity-providers/capacity-providers.js';
import { CLUSTERS, SERVICES, TASK_DEFINITION_FAMILIES, type Clusters, type Services, type TaskDefinitionFamilies } from '../fleet.aggregates.js';
import { ServiceReconciler } from './service-reconciler.js';

type ServiceReply = CommandReply<{ serviceArn: string }>;

/** ECS services of the simulated fleet. Their tasks are placed and stopped by the reconciler, not here. */
@Controller()
export class ServiceMessageController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICES) private readonly services: Services,
    @Inject(CLUSTERS) private readonly clusters: Clusters,
    @Inject(TASK_DEFINITION_FAMILIES) private readonly families: TaskDefinitionFamilies,
    private readonly providers: CapacityProviders,
    private readonly reconciler: ServiceReconciler,
  ) {}

  @MessagePattern(Subjects.fleet.createService)
  async createService(@Payload('data') dto: CreateServiceDto, @Payload('meta') meta: MessageMeta): Promise<ServiceReply> {
    const { scope, clusterName } = resolveClusterReference('cluster', dto.cluster, meta.scope);
    const cluster = await this.clusters.load(Streams.cluster(scope, clusterName));
    const taskDefinition = resolveTaskDefinitionReference('taskDefinition', dto.taskDefinition, scope);
    const family = await this.families.load(Streams.taskDefinitionFamily(taskDefinition.scope, taskDefinition.family));
    const found = findTaskDefinition(family.state, taskDefinition.revision);
    const command: CreateService = {
      type: 'CreateService',
      data: {
        scope,
        clusterName,
        serviceName: dto.serviceName,
        clusterExists: cluster.state.status === 'ACTIVE',
        taskDefinition: { reference: dto.taskDefinition, found: found ? { taskDefinitionArn: found.taskDefinitionArn } : null },
        capacityProviderStrategy: await Promise.all(dto.capacityProviderStrategy.map((item) => this.strategyItem(item, scope))),
        desiredCount: dto.desiredCount,
        tags: dto.tags ?? [],
        now: this.clock.now(),
      },
    };
    return this.handle(Streams.service(scope, clusterName, dto.serviceName), command, meta);
  }

  @MessagePattern(Subjects.fleet.updateService)
  async updateService(@Payload('data') dto: UpdateServiceCommandDto, @Payload('meta') meta: MessageMeta): Promise<ServiceReply> {
    const { streamId, now } = this.locate(dto, meta);
    return this.handle(streamId, { type: 'UpdateService', data: { reference: dto.service, desiredCount: dto.desiredCount, now } }, meta);
  }

  @MessagePattern(Subjects.fleet.deleteService)
  async deleteService(@Payload('data') dto: ServiceRefDto, @Payload('meta') meta: MessageMeta): Promise<ServiceReply> {
    const { streamId, now } = this.locate(dto, meta);
    return this.handle(streamId, { type: 'DeleteService', data: { reference: dto.service, now } }, meta);
  }

  /** Decides, then has the reconciler converge the service's tasks (the subscription would too, a moment later). */
  private async handle(streamId: string, command: ServiceCommand, meta: MessageMeta): Promise<ServiceReply> {
    const handled = await this.services.handle(streamId, command, { correlationId: meta.correlationId, now: command.data.now });
    this.reconciler.request(streamId, { correlationId: meta.correlationId });
    return { result: { serviceArn: serviceArnOf(handled.state) }, position: handled.position };
  }

  private locate(dto: ServiceRefDto, meta: MessageMeta) {
    const { scope, clusterName, serviceName } = resolveServiceReference(dto, meta.scope);
    return { streamId: Streams.service(scope, clusterName, serviceName), now: this.clock.now() };
  }

  private async strategyItem(item: CreateServiceDto['capacityProviderStrategy'][number], scope: MessageMeta['scope']) {
    const { scope: providerScope, name } = resolveCapacityProviderReference('capacityProviderStrategy', item.capacityProvider, scope);
    const { state } = await this.providers.load(Streams.capacityProvider(providerScope, name));
    return { reference: item.capacityProvider, found: capacityProviderRecord(state) ?? null, weight: item.weight ?? 0, base: item.base ?? 0 };
  }
}

/** A service command that did not throw leaves a service that exists. */
function serviceArnOf(state: ServiceState): string {
  if (state.status === 'NONE') throw new Error('a service command succeeded on a service that does not exist');
  return state.serviceArn;
}
