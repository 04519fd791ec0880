import { Inject, Injectable } from '@nestjs/common';
import { Streams, type CommandReply, type DaemonCommandResult, type DaemonRefDto, type MessageMeta } from '@daemonfleet/contracts';
import { latestDeployment, resolveDaemonArn } from '@daemonfleet/domain';
import { CLOCK, IDS, type Clock, type IdGenerator } from '@daemonfleet/service-runtime';
import { DeploymentOpener } from '../deployments/deployment-opener.js';
import { DAEMONS, type Daemons } from '../orchestrator.aggregates.js';
import { daemonCommandResult } from './daemon-command-result.js';

/**
 * DeleteDaemon (spec 2.7, decisions 7 and 8): DELETE_IN_PROGRESS, and a deployment with no target that drains the
 * daemon off every instance; it supersedes the deployment in progress. When it succeeds the daemon is removed
 * (a reaction of the subscription).
 */
@Injectable()
export class DeleteDaemonHandler {
  constructor(
    @Inject(DAEMONS) private readonly daemons: Daemons,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    private readonly opener: DeploymentOpener,
  ) {}

  async handle(dto: DaemonRefDto, meta: MessageMeta): Promise<CommandReply<DaemonCommandResult>> {
    const { scope, clusterName, daemonName } = resolveDaemonArn('daemonArn', dto.daemonArn);
    const now = this.clock.now();
    const context = { correlationId: meta.correlationId, now };
    const handled = await this.daemons.handle(
      Streams.daemon(scope, clusterName, daemonName),
      { type: 'DeleteDaemon', data: { scope, clusterName, daemonName, deploymentId: this.ids.deploymentId(), now } },
      context,
    );
    const opened = await this.opener.open(handled.state, latestDeployment(handled.state)!.deploymentId, context);
    return daemonCommandResult(handled.state, Math.max(handled.position, opened!.position));
  }
}
