import { Inject, Injectable } from '@nestjs/common';
import { Streams, type CommandReply, type CreateDaemonDto, type CreateDaemonResult, type MessageMeta } from '@daemonfleet/contracts';
import { Arns, resolveClusterReference } from '@daemonfleet/domain';
import { CLOCK, IDS, type Clock, type IdGenerator } from '@daemonfleet/service-runtime';
import { Collaborators } from '../collaborators/collaborators.js';
import { DeploymentOpener } from '../deployments/deployment-opener.js';
import { DAEMONS, type Daemons } from '../orchestrator.aggregates.js';
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
    const handled = await this.daemons.handle(
      Streams.daemon(cluster.scope, cluster.clusterName, dto.daemonName),
      {
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
      },
      context,
    );
    const daemon = handled.state;
    if (daemon.status !== 'ACTIVE') throw new Error('CreateDaemon left no active daemon behind');

    // The deployment of the daemon's first revision; on an idempotent retry it is already open.
    const first = daemon.deployments.find((d) => d.targetRevisionArn === daemon.revisions[0].daemonRevisionArn)!;
    const opened = await this.opener.open(daemon, first.deploymentId, context);
    return {
      result: { daemonArn: daemon.daemonArn, status: 'ACTIVE', createdAt: daemon.createdAt, deploymentArn: first.deploymentArn },
      position: Math.max(handled.position, opened!.position),
    };
  }
}
