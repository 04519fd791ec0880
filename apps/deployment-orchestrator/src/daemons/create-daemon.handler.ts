import { Inject, Injectable } from '@nestjs/common';
import { Streams, type CommandReply, type CreateDaemonDto, type CreateDaemonResult, type MessageMeta } from '@daemonfleet/contracts';
import {
  Arns,
  resolveCapacityProviderReference,
  resolveClusterReference,
  resolveDaemonTaskDefinitionReference,
  type DaemonSettings,
  type ReferencedTaskDefinition,
} from '@daemonfleet/domain';
import { CLOCK, IDS, type Clock, type IdGenerator } from '@daemonfleet/service-runtime';
import { Collaborators } from '../collaborators/collaborators.js';
import { deploymentFor } from '../deployments/deployment-opening.js';
import { DAEMONS, DEPLOYMENTS, TASK_DEFINITION_FAMILIES, type Daemons, type Deployments, type TaskDefinitionFamilies } from '../orchestrator.aggregates.js';
import { imageDigest, requestFingerprint } from './request-fingerprint.js';

/**
 * CreateDaemon (spec 2.5): look up what the request names (cluster and providers at the fleet agent, the task
 * definition here), let the daemon decide, then open the deployment's stream. Returns at once: the deployment
 * is carried on by the reconciler.
 */
@Injectable()
export class CreateDaemonHandler {
  constructor(
    @Inject(DAEMONS) private readonly daemons: Daemons,
    @Inject(DEPLOYMENTS) private readonly deployments: Deployments,
    @Inject(TASK_DEFINITION_FAMILIES) private readonly families: TaskDefinitionFamilies,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    private readonly collaborators: Collaborators,
  ) {}

  async handle(dto: CreateDaemonDto, meta: MessageMeta): Promise<CommandReply<CreateDaemonResult>> {
    const cluster = resolveClusterReference('clusterArn', dto.clusterArn, meta.scope);
    const clusterArn = Arns.cluster(cluster.scope, cluster.clusterName);
    const providerArns = dto.capacityProviderArns.map((reference) => {
      const provider = resolveCapacityProviderReference('capacityProviderArns', reference, cluster.scope);
      return { reference, arn: Arns.capacityProvider(provider.scope, provider.name) };
    });
    const [clusters, providers, taskDefinition] = await Promise.all([
      this.collaborators.clusters([clusterArn], meta),
      this.collaborators.capacityProviders([...new Set(providerArns.map((p) => p.arn))], meta),
      this.findTaskDefinition(dto.daemonTaskDefinitionArn, meta),
    ]);

    const settings = defaultedSettings(dto);
    const tags = dto.tags ?? [];
    const clientToken = dto.clientToken ?? null;
    const now = this.clock.now();
    const handled = await this.daemons.handle(
      Streams.daemon(cluster.scope, cluster.clusterName, dto.daemonName),
      {
        type: 'CreateDaemon',
        data: {
          scope: cluster.scope,
          clusterName: cluster.clusterName,
          daemonName: dto.daemonName,
          clusterExists: clusters.length > 0,
          taskDefinition: { reference: dto.daemonTaskDefinitionArn, found: taskDefinition },
          capacityProviders: providerArns.map(({ reference, arn }) => ({ reference, found: providers.find((p) => p.capacityProviderArn === arn) ?? null })),
          settings,
          tags,
          clientToken,
          requestFingerprint: requestFingerprint({ clusterArn, daemonName: dto.daemonName, taskDefinition: dto.daemonTaskDefinitionArn, providerArns, settings, tags }),
          revisionId: this.ids.revisionId(),
          deploymentId: this.ids.deploymentId(),
          now,
        },
      },
      { correlationId: meta.correlationId, now },
    );
    const daemon = handled.state;
    if (daemon.status === 'NONE') throw new Error('CreateDaemon left no daemon behind');

    // The deployment of the daemon's first revision; on an idempotent retry it is already open.
    const [first] = daemon.deployments;
    const revision = daemon.revisions[0];
    const opened = await this.deployments.handle(
      Streams.daemonDeployment(first.deploymentId),
      {
        type: 'CreateDeployment',
        data: deploymentFor({ daemonArn: daemon.daemonArn, revision, ...first }, daemon.clusterArn, []),
      },
      { correlationId: meta.correlationId, now },
    );
    return {
      result: { daemonArn: daemon.daemonArn, status: 'ACTIVE', createdAt: daemon.createdAt, deploymentArn: first.deploymentArn },
      position: Math.max(handled.position, opened.position),
    };
  }

  private async findTaskDefinition(reference: string, meta: MessageMeta): Promise<ReferencedTaskDefinition | null> {
    const resolved = resolveDaemonTaskDefinitionReference('daemonTaskDefinitionArn', reference, meta.scope, { requireRevision: true });
    const family = await this.families.load(Streams.daemonTaskDefinitionFamily(resolved.scope, resolved.family));
    const revision = family.state.revisions.get(resolved.revision!);
    if (!revision) return null;
    return {
      daemonTaskDefinitionArn: revision.daemonTaskDefinitionArn,
      status: revision.status,
      containerImages: revision.definition.containerDefinitions.map((c) => ({ containerName: c.name, image: c.image, imageDigest: imageDigest(c.image) })),
    };
  }
}

/** Omitted settings take their defaults (spec 2.5); UpdateDaemon will use the same rule, as a full replacement. */
export function defaultedSettings(dto: CreateDaemonDto): DaemonSettings {
  const configuration = dto.deploymentConfiguration;
  return {
    deploymentConfiguration: {
      drainPercent: configuration?.drainPercent ?? 25,
      bakeTimeInMinutes: configuration?.bakeTimeInMinutes ?? 0,
      alarms: { alarmNames: configuration?.alarms?.alarmNames ?? [], enable: configuration?.alarms?.enable ?? false },
    },
    propagateTags: dto.propagateTags ?? 'NONE',
    enableECSManagedTags: dto.enableECSManagedTags ?? false,
    enableExecuteCommand: dto.enableExecuteCommand ?? false,
    critical: dto.critical ?? true,
  };
}
