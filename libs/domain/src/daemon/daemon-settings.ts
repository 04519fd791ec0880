import type {
  CapacityProviderRecord,
  ContainerImageSpec,
  DaemonDeploymentConfigurationSpec,
  DaemonRevisionCreated,
  EpochMillis,
  PropagateTags,
  Scope,
} from '@daemonfleet/contracts';
import { Arns } from '../shared/arns.js';
import {
  CapacityProviderNotFound,
  CapacityProviderNotInCluster,
  CapacityProviderNotManagedInstances,
  DaemonTaskDefinitionNotActive,
  DaemonTaskDefinitionNotFound,
} from '../shared/domain-errors.js';

/** The settings of a revision, already defaulted (spec 2.5): UpdateDaemon replaces them all (spec 2.6). */
export interface DaemonSettings {
  readonly deploymentConfiguration: DaemonDeploymentConfigurationSpec;
  readonly propagateTags: PropagateTags;
  readonly enableECSManagedTags: boolean;
  readonly enableExecuteCommand: boolean;
  readonly critical: boolean;
}

export interface ReferencedTaskDefinition {
  readonly daemonTaskDefinitionArn: string;
  readonly status: string;
  readonly containerImages: readonly ContainerImageSpec[];
}

/** What CreateDaemon and UpdateDaemon name and the caller looked up; both check it the same way. */
export interface RevisionRequest {
  readonly scope: Scope;
  readonly clusterName: string;
  readonly daemonName: string;
  /** The referenced task definition revision, or null when it does not exist. */
  readonly taskDefinition: { readonly reference: string; readonly found: ReferencedTaskDefinition | null };
  /** Each requested capacity provider, in request order, with what the fleet knows of it (null: unknown). */
  readonly capacityProviders: readonly { readonly reference: string; readonly found: CapacityProviderRecord | null }[];
  readonly settings: DaemonSettings;
  readonly revisionId: string;
  readonly deploymentId: string;
  readonly now: EpochMillis;
}

/** Checks the request (decision 10) and builds the new revision and the deployment that rolls it out. */
export function revisionCreated(request: RevisionRequest): DaemonRevisionCreated {
  const taskDefinition = checkTaskDefinition(request.taskDefinition);
  const capacityProviderArns = checkCapacityProviders(request.capacityProviders, request.clusterName);
  const { scope, clusterName, daemonName, revisionId, deploymentId, now } = request;
  const { deploymentConfiguration, ...revisionSettings } = request.settings;
  return {
    type: 'DaemonRevisionCreated',
    data: {
      daemonArn: Arns.daemon(scope, clusterName, daemonName),
      revision: {
        daemonRevisionArn: Arns.daemonRevision(scope, clusterName, daemonName, revisionId),
        revisionId,
        daemonTaskDefinitionArn: taskDefinition.daemonTaskDefinitionArn,
        capacityProviderArns,
        ...revisionSettings,
        containerImages: taskDefinition.containerImages,
        createdAt: now,
      },
      deploymentConfiguration,
      deploymentId,
      deploymentArn: Arns.daemonDeployment(scope, clusterName, daemonName, deploymentId),
      createdAt: now,
    },
  };
}

function checkTaskDefinition({ reference, found }: RevisionRequest['taskDefinition']): ReferencedTaskDefinition {
  if (!found) throw new DaemonTaskDefinitionNotFound(reference);
  if (found.status !== 'ACTIVE') throw new DaemonTaskDefinitionNotActive(found.daemonTaskDefinitionArn, found.status);
  return found;
}

/** Each provider must exist, be Managed Instances and belong to the daemon's cluster (decision 10). Duplicates collapse. */
function checkCapacityProviders(providers: RevisionRequest['capacityProviders'], clusterName: string): string[] {
  const arns = providers.map(({ reference, found }) => {
    if (!found) throw new CapacityProviderNotFound(reference);
    if (found.type !== 'MANAGED_INSTANCES') throw new CapacityProviderNotManagedInstances(found.name);
    if (found.clusterName !== clusterName) throw new CapacityProviderNotInCluster(found.name, clusterName);
    return found.capacityProviderArn;
  });
  return [...new Set(arns)];
}
