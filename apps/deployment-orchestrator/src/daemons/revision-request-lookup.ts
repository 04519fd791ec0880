import { Inject, Injectable } from '@nestjs/common';
import { Streams, type DaemonSettingsDto, type MessageMeta, type Scope } from '@daemonfleet/contracts';
import {
  Arns,
  resolveCapacityProviderReference,
  resolveDaemonTaskDefinitionReference,
  type DaemonSettings,
  type ReferencedTaskDefinition,
  type RevisionRequest,
} from '@daemonfleet/domain';
import { Collaborators } from '../collaborators/collaborators.js';
import { TASK_DEFINITION_FAMILIES, type TaskDefinitionFamilies } from '../orchestrator.aggregates.js';
import { imageDigest } from './request-fingerprint.js';

export type LookedUpRevision = Pick<RevisionRequest, 'taskDefinition' | 'capacityProviders' | 'settings'> & {
  /** The providers as requested and as ARNs, for the request's fingerprint. */
  readonly providerArns: readonly { readonly reference: string; readonly arn: string }[];
};

/**
 * What CreateDaemon and UpdateDaemon name, looked up for the daemon decider to check: the task definition here,
 * the capacity providers at the fleet agent; the settings defaulted, as a full replacement (spec 2.5, 2.6).
 */
@Injectable()
export class RevisionRequestLookup {
  constructor(
    @Inject(TASK_DEFINITION_FAMILIES) private readonly families: TaskDefinitionFamilies,
    private readonly collaborators: Collaborators,
  ) {}

  /** Providers named by name resolve in the daemon's scope; task definitions named by `family:revision` in the caller's. */
  async lookUp(dto: DaemonSettingsDto, scope: Scope, meta: MessageMeta): Promise<LookedUpRevision> {
    const providerArns = dto.capacityProviderArns.map((reference) => {
      const provider = resolveCapacityProviderReference('capacityProviderArns', reference, scope);
      return { reference, arn: Arns.capacityProvider(provider.scope, provider.name) };
    });
    const [providers, taskDefinition] = await Promise.all([
      this.collaborators.capacityProviders([...new Set(providerArns.map((p) => p.arn))], meta),
      this.findTaskDefinition(dto.daemonTaskDefinitionArn, meta.scope),
    ]);
    return {
      taskDefinition: { reference: dto.daemonTaskDefinitionArn, found: taskDefinition },
      capacityProviders: providerArns.map(({ reference, arn }) => ({ reference, found: providers.find((p) => p.capacityProviderArn === arn) ?? null })),
      settings: defaultedSettings(dto),
      providerArns,
    };
  }

  private async findTaskDefinition(reference: string, scope: Scope): Promise<ReferencedTaskDefinition | null> {
    const resolved = resolveDaemonTaskDefinitionReference('daemonTaskDefinitionArn', reference, scope, { requireRevision: true });
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

/** Omitted settings take their defaults (spec 2.5); UpdateDaemon applies the same rule, as a full replacement (spec 2.6). */
export function defaultedSettings(dto: DaemonSettingsDto): DaemonSettings {
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
