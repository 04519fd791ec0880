import { Inject, Injectable, Logger } from '@nestjs/common';
import { Subjects, type MessageMeta } from '@daemonfleet/contracts';
import type { PendingFleetCommand } from '@daemonfleet/domain';
import { RPC_CLIENT, type RpcClient } from '@daemonfleet/messaging';
import { CLOCK, SERVICE_CONFIG, ServiceClient, type Clock, type ServiceConfig } from '@daemonfleet/service-runtime';

/**
 * The orchestrator's one side effect on the fleet: StartInstanceDrains and AdoptDaemonTasks, fenced by the
 * deployment's stream version. The fleet handles them idempotently per instance, so sending one twice is safe;
 * still, an instance is named again (same action, same deployment, same fence) only once a resync interval has
 * passed: the fleet's answer takes a moment to reach the projection, and every fleet event of a large drain
 * triggers a reconcile that still sees the rest of the batch undrained.
 * A refused or failed command is logged; the next resync tick sends it again if it is still pending.
 */
@Injectable()
export class FleetCommandSender {
  private readonly logger = new Logger(FleetCommandSender.name);
  private readonly client: ServiceClient;
  /** When each (action, deployment, fence, instance) was last sent. */
  private readonly sentAt = new Map<string, number>();

  constructor(
    @Inject(RPC_CLIENT) rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.client = new ServiceClient(rpc);
  }

  async send(commands: readonly PendingFleetCommand[], fence: number, meta: MessageMeta): Promise<void> {
    const now = this.clock.now();
    for (const [key, at] of this.sentAt) if (now - at >= this.config.resyncIntervalMs) this.sentAt.delete(key);
    const due = commands.flatMap((command) => {
      const keyOf = (instanceId: string) => `${command.type}|${command.data.deploymentId}|${fence}|${instanceId}`;
      const instanceIds = command.data.instanceIds.filter((id) => !this.sentAt.has(keyOf(id)));
      for (const id of instanceIds) this.sentAt.set(keyOf(id), now);
      return instanceIds.length === 0 ? [] : [{ ...command, data: { ...command.data, instanceIds } } as PendingFleetCommand];
    });
    await Promise.all(due.map((command) => this.sendOne(command, fence, meta)));
  }

  private async sendOne(command: PendingFleetCommand, fence: number, meta: MessageMeta): Promise<void> {
    try {
      if (command.type === 'StartInstanceDrains') await this.client.send(Subjects.fleet.startInstanceDrains, { ...command.data, fence }, meta);
      else await this.client.send(Subjects.fleet.adoptDaemonTasks, { ...command.data, fence }, meta);
    } catch (error) {
      const { deploymentId, capacityProviderArn, instanceIds } = command.data;
      this.logger.warn(
        `${command.type} of deployment ${deploymentId} on ${capacityProviderArn} (${instanceIds.length} instances, fence ${fence}) failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
