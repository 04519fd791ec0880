import type { EpochMillis, Event, Tag } from './event.js';

/** A registered daemon task definition as the user gave it, with ECS defaults filled in. Immutable. */
export interface DaemonTaskDefinitionSpec {
  readonly containerDefinitions: readonly DaemonContainerDefinitionSpec[];
  readonly taskRoleArn?: string;
  readonly executionRoleArn?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly volumes: readonly Record<string, unknown>[];
  readonly tags: readonly Tag[];
  readonly pidMode?: 'none' | 'shared';
  readonly ipcMode?: 'none' | 'shared';
}

/** A container of a daemon task definition; `image` and `name` are what the system itself reads. */
export interface DaemonContainerDefinitionSpec {
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
  readonly [member: string]: unknown;
}

export type DaemonTaskDefinitionRegistered = Event<
  'DaemonTaskDefinitionRegistered',
  {
    readonly daemonTaskDefinitionArn: string;
    readonly family: string;
    readonly revision: number;
    readonly definition: DaemonTaskDefinitionSpec;
    readonly registeredAt: EpochMillis;
    readonly registeredBy: string;
  }
>;

export type DaemonTaskDefinitionDeletionRequested = Event<
  'DaemonTaskDefinitionDeletionRequested',
  { readonly daemonTaskDefinitionArn: string; readonly revision: number; readonly deleteRequestedAt: EpochMillis }
>;

/** No live daemon uses the revision any more: its deletion is complete. */
export type DaemonTaskDefinitionDeleted = Event<
  'DaemonTaskDefinitionDeleted',
  { readonly daemonTaskDefinitionArn: string; readonly revision: number; readonly deletedAt: EpochMillis }
>;

export type DaemonTaskDefinitionEvent =
  | DaemonTaskDefinitionRegistered
  | DaemonTaskDefinitionDeletionRequested
  | DaemonTaskDefinitionDeleted;
