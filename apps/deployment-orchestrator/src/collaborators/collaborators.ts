import { Inject, Injectable } from '@nestjs/common';
import { Subjects, type CapacityProviderRecord, type ClusterRecord, type MessageMeta, type Scope, type AlarmStateRecord } from '@daemonfleet/contracts';
import { Arns } from '@daemonfleet/domain';
import { RPC_CLIENT, type RpcClient } from '@daemonfleet/messaging';
import { ServiceClient } from '@daemonfleet/service-runtime';

/**
 * The orchestrator's questions to the fleet agent and the alarm monitor, as queries over the transport. The
 * fleet's instances are not asked for: the orchestrator keeps its own projection of them (FleetProjection).
 */
@Injectable()
export class Collaborators {
  private readonly client: ServiceClient;

  constructor(@Inject(RPC_CLIENT) rpc: RpcClient) {
    this.client = new ServiceClient(rpc);
  }

  async clusters(clusterArns: string[], meta: MessageMeta): Promise<ClusterRecord[]> {
    return (await this.client.send(Subjects.fleet.getClusters, { clusterArns }, meta)).clusters;
  }

  async capacityProviders(capacityProviderArns: string[], meta: MessageMeta): Promise<CapacityProviderRecord[]> {
    if (capacityProviderArns.length === 0) return [];
    return (await this.client.send(Subjects.fleet.getCapacityProviders, { capacityProviderArns }, meta)).capacityProviders;
  }

  async alarmStates(alarmNames: readonly string[], meta: MessageMeta): Promise<AlarmStateRecord[]> {
    if (alarmNames.length === 0) return [];
    return (await this.client.send(Subjects.alarms.getAlarmStates, { alarmNames: [...alarmNames] }, meta)).alarms;
  }
}

/** How the orchestrator introduces itself when it asks on its own behalf (reconciling, reacting). */
export function serviceMeta(scope: Scope, correlationId: string): MessageMeta {
  return { correlationId, scope, principalArn: Arns.iamUser(scope.accountId, 'daemonfleet-orchestrator') };
}
