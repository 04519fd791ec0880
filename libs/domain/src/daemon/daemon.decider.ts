import type {
  CapacityProviderRecord,
  ContainerImageSpec,
  DaemonCreated,
  DaemonDeploymentConfigurationSpec,
  DaemonEvent,
  DaemonRevisionCreated,
  DaemonRevisionSpec,
  EpochMillis,
  PropagateTags,
  Scope,
  Tag,
} from '@daemonfleet/contracts';
import { Arns } from '../shared/arns.js';
import { assertNever, type Decider } from '../shared/decider.js';
import {
  CapacityProviderNotFound,
  CapacityProviderNotInCluster,
  CapacityProviderNotManagedInstances,
  ClientTokenReused,
  ClusterNotFound,
  DaemonNameInUse,
  DaemonTaskDefinitionNotActive,
  DaemonTaskDefinitionNotFound,
} from '../shared/domain-errors.js';

export type DaemonStatus = 'ACTIVE' | 'DELETE_IN_PROGRESS';

export type DaemonState =
  | { readonly status: 'NONE' }
  | {
      readonly status: DaemonStatus;
      readonly daemonArn: string;
      readonly daemonName: string;
      readonly clusterArn: string;
      readonly tags: readonly Tag[];
      readonly clientToken: string | null;
      readonly requestFingerprint: string;
      readonly createdAt: EpochMillis;
      readonly updatedAt: EpochMillis;
      /** Every revision, oldest first; the last one is the daemon's configuration now. */
      readonly revisions: readonly DaemonRevisionSpec[];
      /** Every deployment of the daemon, oldest first. */
      readonly deployments: readonly DaemonDeploymentEntry[];
    };

export interface DaemonDeploymentEntry {
  readonly deploymentId: string;
  readonly deploymentArn: string;
  readonly deploymentConfiguration: DaemonDeploymentConfigurationSpec;
  readonly createdAt: EpochMillis;
}

/** The settings of a revision, already defaulted (spec 2.5): UpdateDaemon replaces them all. */
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

export type CreateDaemon = {
  readonly type: 'CreateDaemon';
  readonly data: {
    readonly scope: Scope;
    readonly clusterName: string;
    readonly daemonName: string;
    /** Looked up by the caller. */
    readonly clusterExists: boolean;
    /** The referenced task definition revision, or null when it does not exist. */
    readonly taskDefinition: { readonly reference: string; readonly found: ReferencedTaskDefinition | null };
    /** Each requested capacity provider, in request order, with what the fleet knows of it (null: unknown). */
    readonly capacityProviders: readonly { readonly reference: string; readonly found: CapacityProviderRecord | null }[];
    readonly settings: DaemonSettings;
    readonly tags: readonly Tag[];
    readonly clientToken: string | null;
    /** Digest of the request's parameters: a retry with the same token must carry the same one. */
    readonly requestFingerprint: string;
    readonly revisionId: string;
    readonly deploymentId: string;
    readonly now: EpochMillis;
  };
};

export type DaemonCommand = CreateDaemon;

const createDaemon = ({ data }: CreateDaemon, state: DaemonState): DaemonEvent[] => {
  if (!data.clusterExists) throw new ClusterNotFound(data.clusterName);
  if (state.status !== 'NONE') {
    // Idempotency (decision 9): the same token with the same parameters is a retry, answered from the state.
    if (data.clientToken !== null && state.clientToken === data.clientToken) {
      if (state.requestFingerprint === data.requestFingerprint) return [];
      throw new ClientTokenReused();
    }
    throw new DaemonNameInUse(data.daemonName, data.clusterName);
  }
  const taskDefinition = checkTaskDefinition(data.taskDefinition);
  const capacityProviderArns = checkCapacityProviders(data.capacityProviders, data.clusterName);

  const daemonArn = Arns.daemon(data.scope, data.clusterName, data.daemonName);
  const created: DaemonCreated = {
    type: 'DaemonCreated',
    data: {
      daemonArn,
      daemonName: data.daemonName,
      clusterArn: Arns.cluster(data.scope, data.clusterName),
      tags: data.tags,
      clientToken: data.clientToken,
      requestFingerprint: data.requestFingerprint,
      createdAt: data.now,
    },
  };
  return [created, revisionCreated(data, daemonArn, taskDefinition, capacityProviderArns)];
};

const revisionCreated = (
  data: CreateDaemon['data'],
  daemonArn: string,
  taskDefinition: ReferencedTaskDefinition,
  capacityProviderArns: readonly string[],
): DaemonRevisionCreated => {
  const { deploymentConfiguration, ...revisionSettings } = data.settings;
  return {
    type: 'DaemonRevisionCreated',
    data: {
      daemonArn,
      revision: {
        daemonRevisionArn: Arns.daemonRevision(data.scope, data.clusterName, data.daemonName, data.revisionId),
        revisionId: data.revisionId,
        daemonTaskDefinitionArn: taskDefinition.daemonTaskDefinitionArn,
        capacityProviderArns,
        ...revisionSettings,
        containerImages: taskDefinition.containerImages,
        createdAt: data.now,
      },
      deploymentConfiguration,
      deploymentId: data.deploymentId,
      deploymentArn: Arns.daemonDeployment(data.scope, data.clusterName, data.daemonName, data.deploymentId),
      createdAt: data.now,
    },
  };
};

function checkTaskDefinition({ reference, found }: CreateDaemon['data']['taskDefinition']): ReferencedTaskDefinition {
  if (!found) throw new DaemonTaskDefinitionNotFound(reference);
  if (found.status !== 'ACTIVE') throw new DaemonTaskDefinitionNotActive(found.daemonTaskDefinitionArn, found.status);
  return found;
}

/** Each provider must exist, be Managed Instances and belong to the daemon's cluster (decision 10). Duplicates collapse. */
function checkCapacityProviders(providers: CreateDaemon['data']['capacityProviders'], clusterName: string): string[] {
  const arns = providers.map(({ reference, found }) => {
    if (!found) throw new CapacityProviderNotFound(reference);
    if (found.type !== 'MANAGED_INSTANCES') throw new CapacityProviderNotManagedInstances(found.name);
    if (found.clusterName !== clusterName) throw new CapacityProviderNotInCluster(found.name, clusterName);
    return found.capacityProviderArn;
  });
  return [...new Set(arns)];
}

export const daemonDecider: Decider<DaemonState, DaemonCommand, DaemonEvent> = {
  initialState: () => ({ status: 'NONE' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'DaemonCreated':
        return { status: 'ACTIVE', ...event.data, updatedAt: event.data.createdAt, revisions: [], deployments: [] };
      case 'DaemonRevisionCreated': {
        if (state.status === 'NONE') return state;
        const { deploymentId, deploymentArn, deploymentConfiguration, createdAt } = event.data;
        return {
          ...state,
          updatedAt: createdAt,
          revisions: [...state.revisions, event.data.revision],
          deployments: [...state.deployments, { deploymentId, deploymentArn, deploymentConfiguration, createdAt }],
        };
      }
      default:
        return assertNever(event);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateDaemon':
        return createDaemon(command, state);
      default:
        return assertNever(command.type);
    }
  },
};

export function latestRevision(state: DaemonState): DaemonRevisionSpec | undefined {
  return state.status === 'NONE' ? undefined : state.revisions.at(-1);
}

export function latestDeployment(state: DaemonState): DaemonDeploymentEntry | undefined {
  return state.status === 'NONE' ? undefined : state.deployments.at(-1);
}
