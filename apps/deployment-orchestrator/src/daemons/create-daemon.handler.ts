import { Inject, Injectable } from '@nestjs/common';
import { Streams, type CommandReply, type CreateDaemonDto, type CreateDaemonResult, type MessageMeta } from '@daemonfleet/contracts';
import { Arns, daemonDecider, resolveClusterReference, type CreateDaemon } from '@daemonfleet/domain';
import { CLOCK, IDS, type Clock, type CommandContext, type IdGenerator } from '@daemonfleet/service-runtime';
import { Collaborators } from '../collaborators/collaborators.js';
import { DeploymentOpener } from '../deployments/deployment-opener.js';
import { DAEMON_CLIENT_TOKENS, DAEMONS, type DaemonClientTokens, type Daemons } from '../orchestrator.aggregates.js';
import { requestFingerprint } from './request-fingerprint.js';
import { RevisionRequestLookup } from './revision-request-lookup.js';

/**
 * CreateDaemon (spec 2.5): look up what the request names, let the daemon decide, then open the deployment's
 * stream. Returns at once: the deployment is carried on by the reconciler.
 */
@Injectable()
export class CreateDaemonHandler {
  constructor(
    @Inject(DAEMONS) private readonly daemons: Daemons,
    @Inject(DAEMON_CLIENT_TOKENS) private readonly clientTokens: DaemonClientTokens,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    private readonly collaborators: Collaborators,
    private readonly lookup: RevisionRequestLookup,
    private readonly opener: DeploymentOpener,
  ) {}

  async handle(dto: CreateDaemonDto, meta: MessageMeta): Promise<CommandReply<CreateDaemonResult>> {
    const cluster = resolveClusterReference('clusterArn', dto.clusterArn, meta.scope);
    const clusterArn = Arns.cluster(cluster.scope, cluster.clusterName);
    const [clusters, revision] = await Promise.all([this.collaborators.clusters([clusterArn], meta), this.lookup.lookUp(dto, cluster.scope, meta)]);

    const { providerArns, ...looked } = revision;
    const tags = dto.tags ?? [];
    const now = this.clock.now();
    const context = { correlationId: meta.correlationId, now };
    const streamId = Streams.daemon(cluster.scope, cluster.clusterName, dto.daemonName);
    const command: CreateDaemon = {
      type: 'CreateDaemon',
      data: {
        scope: cluster.scope,
        clusterName: cluster.clusterName,
        daemonName: dto.daemonName,
        clusterExists: clusters.length > 0,
        ...looked,
        tags,
        clientToken: dto.clientToken ?? null,
        requestFingerprint: requestFingerprint({ clusterArn, daemonName: dto.daemonName, taskDefinition: dto.daemonTaskDefinitionArn, providerArns, settings: looked.settings, tags }),
        revisionId: this.ids.revisionId(),
        deploymentId: this.ids.deploymentId(),
        now,
      },
    };
    const claimedAt = await this.claimClientToken(streamId, command, context);
    const handled = await this.daemons.handle(streamId, command, context);
    const daemon = handled.state;
    if (daemon.status !== 'ACTIVE') throw new Error('CreateDaemon left no active daemon behind');

    // The deployment of the daemon's first revision; on an idempotent retry it is already open.
    const first = daemon.deployments.find((d) => d.targetRevisionArn === daemon.revisions[0].daemonRevisionArn)!;
    const opened = await this.opener.open(daemon, first.deploymentId, context);
    return {
      result: { daemonArn: daemon.daemonArn, status: 'ACTIVE', createdAt: daemon.createdAt, deploymentArn: first.deploymentArn },
      position: Math.max(claimedAt, handled.position, opened!.position),
    };
  }

  /**
   * Decision 9 across names: the token index refuses a token that another daemon (another name, or the same name
   * with other parameters) took. Only a request the daemon would accept claims its token, so a refused one (a
   * misspelt provider, say) leaves the token free. Answers the claim's store position (0 without a token).
   */
  private async claimClientToken(streamId: string, command: CreateDaemon, context: CommandContext): Promise<number> {
    const { clientToken, requestFingerprint, scope, clusterName, daemonName, now } = command.data;
    if (clientToken === null) return 0;
    daemonDecider.decide(command, (await this.daemons.load(streamId)).state);
    const daemonArn = Arns.daemon(scope, clusterName, daemonName);
    const claimed = await this.clientTokens.handle(
      Streams.daemonClientToken(scope, clientToken),
      { type: 'ClaimDaemonClientToken', data: { clientToken, daemonArn, requestFingerprint, now } },
      context,
    );
    return claimed.position;
  }
}
