import { Inject, Injectable } from '@nestjs/common';
import { Subjects, type CapacityProviderRecord, type ClusterRecord, type MessageMeta, type Scope } from '@daemonfleet/contracts';
import { Arns } from '@daemonfleet/domain';
import { RPC_CLIENT, type RpcClient } from '@daemonfleet/messaging';
import { ServiceClient } from '@daemonfleet/service-runtime';

/**
 * The orchestrator's questions to the fleet agent, as queries over the transport. The fleet's instances and the
 * alarms' states are not asked for: the orchestrator keeps its own projections of them (FleetProjection,
 * AlarmProjection), folded from the events, so a reconcile waits on no other service.
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
}

/** How the orchestrator introduces itself when it asks on its own behalf (reconciling, reacting). */
export function serviceMeta(scope: Scope, correlationId: string): MessageMeta {
  return { correlationId, scope, principalArn: Arns.iamUser(scope.accountId, 'daemonfleet-orchestrator') };
}
