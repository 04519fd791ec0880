import { Inject, Injectable } from '@nestjs/common';
import { Streams, type CommandReply, type DaemonCommandResult, type MessageMeta, type UpdateDaemonDto } from '@daemonfleet/contracts';
import { latestDeployment, resolveDaemonArn } from '@daemonfleet/domain';
import { CLOCK, IDS, type Clock, type IdGenerator } from '@daemonfleet/service-runtime';
import { DeploymentOpener } from '../deployments/deployment-opener.js';
import { DAEMONS, type Daemons } from '../orchestrator.aggregates.js';
import { daemonCommandResult } from './daemon-command-result.js';
import { RevisionRequestLookup } from './revision-request-lookup.js';

/**
 * UpdateDaemon (spec 2.6): every setting replaced (omitted ones back to their defaults), a new revision and its
 * deployment, which supersedes the deployment in progress, if any.
 */
@Injectable()
export class UpdateDaemonHandler {
  constructor(
    @Inject(DAEMONS) private readonly daemons: Daemons,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    private readonly lookup: RevisionRequestLookup,
    private readonly opener: DeploymentOpener,
  ) {}

  async handle(dto: UpdateDaemonDto, meta: MessageMeta): Promise<CommandReply<DaemonCommandResult>> {
    const { scope, clusterName, daemonName } = resolveDaemonArn('daemonArn', dto.daemonArn);
    const { providerArns: _providerArns, ...looked } = await this.lookup.lookUp(dto, scope, meta);
    const now = this.clock.now();
    const context = { correlationId: meta.correlationId, now };
    const handled = await this.daemons.handle(
      Streams.daemon(scope, clusterName, daemonName),
      { type: 'UpdateDaemon', data: { scope, clusterName, daemonName, ...looked, revisionId: this.ids.revisionId(), deploymentId: this.ids.deploymentId(), now } },
      context,
    );
    const opened = await this.opener.open(handled.state, latestDeployment(handled.state)!.deploymentId, context);
    return daemonCommandResult(handled.state, Math.max(handled.position, opened!.position));
  }
}
