import type {
  DaemonTaskDefinitionDeleted,
  DaemonTaskDefinitionDeletionRequested,
  DaemonTaskDefinitionEvent,
  DaemonTaskDefinitionRegistered,
  DaemonTaskDefinitionSpec,
  EpochMillis,
  Scope,
} from '@daemonfleet/contracts';
import { Arns } from '../shared/arns.js';
import { assertNever, type Decider } from '../shared/decider.js';
import { DaemonTaskDefinitionNotActive, DaemonTaskDefinitionNotFound } from '../shared/domain-errors.js';

export type DaemonTaskDefinitionStatus = 'ACTIVE' | 'DELETE_IN_PROGRESS' | 'DELETED';

export interface DaemonTaskDefinitionRevision {
  readonly daemonTaskDefinitionArn: string;
  readonly family: string;
  readonly revision: number;
  readonly status: DaemonTaskDefinitionStatus;
  readonly definition: DaemonTaskDefinitionSpec;
  readonly registeredAt: EpochMillis;
  readonly registeredBy: string;
  readonly deleteRequestedAt?: EpochMillis;
}

/**
 * A family and all its revisions. Revisions are numbered 1, 2, … in registration order and never change;
 * only their status moves, ACTIVE → DELETE_IN_PROGRESS → DELETED.
 */
export interface DaemonTaskDefinitionFamilyState {
  readonly revisions: ReadonlyMap<number, DaemonTaskDefinitionRevision>;
  readonly latestRevision: number;
}

export type RegisterDaemonTaskDefinition = {
  readonly type: 'RegisterDaemonTaskDefinition';
  readonly data: {
    readonly scope: Scope;
    readonly family: string;
    readonly definition: DaemonTaskDefinitionSpec;
    readonly registeredBy: string;
    readonly now: EpochMillis;
  };
};

export type DeleteDaemonTaskDefinition = {
  readonly type: 'DeleteDaemonTaskDefinition';
  readonly data: { readonly reference: string; readonly revision: number; readonly now: EpochMillis };
};

/** The deletion of a revision completes once no live daemon uses it (spec 1.5). */
export type CompleteDaemonTaskDefinitionDeletion = {
  readonly type: 'CompleteDaemonTaskDefinitionDeletion';
  readonly data: { readonly revision: number; readonly now: EpochMillis };
};

export type DaemonTaskDefinitionCommand =
  | RegisterDaemonTaskDefinition
  | DeleteDaemonTaskDefinition
  | CompleteDaemonTaskDefinitionDeletion;

const register = ({ data }: RegisterDaemonTaskDefinition, state: DaemonTaskDefinitionFamilyState): DaemonTaskDefinitionRegistered[] => {
  const revision = state.latestRevision + 1;
  return [
    {
      type: 'DaemonTaskDefinitionRegistered',
      data: {
        daemonTaskDefinitionArn: Arns.daemonTaskDefinition(data.scope, data.family, revision),
        family: data.family,
        revision,
        definition: data.definition,
        registeredAt: data.now,
        registeredBy: data.registeredBy,
      },
    },
  ];
};

const requestDeletion = ({ data }: DeleteDaemonTaskDefinition, state: DaemonTaskDefinitionFamilyState): DaemonTaskDefinitionDeletionRequested[] => {
  const revision = state.revisions.get(data.revision);
  if (!revision) throw new DaemonTaskDefinitionNotFound(data.reference);
  if (revision.status !== 'ACTIVE') throw new DaemonTaskDefinitionNotActive(revision.daemonTaskDefinitionArn, revision.status);
  return [
    {
      type: 'DaemonTaskDefinitionDeletionRequested',
      data: { daemonTaskDefinitionArn: revision.daemonTaskDefinitionArn, revision: revision.revision, deleteRequestedAt: data.now },
    },
  ];
};

/** A reaction, not a user request: nothing to do unless the revision is still waiting for its deletion. */
const completeDeletion = ({ data }: CompleteDaemonTaskDefinitionDeletion, state: DaemonTaskDefinitionFamilyState): DaemonTaskDefinitionDeleted[] => {
  const revision = state.revisions.get(data.revision);
  if (revision?.status !== 'DELETE_IN_PROGRESS') return [];
  return [
    {
      type: 'DaemonTaskDefinitionDeleted',
      data: { daemonTaskDefinitionArn: revision.daemonTaskDefinitionArn, revision: revision.revision, deletedAt: data.now },
    },
  ];
};

const withRevision = (
  state: DaemonTaskDefinitionFamilyState,
  revision: number,
  change: (current: DaemonTaskDefinitionRevision) => DaemonTaskDefinitionRevision,
): DaemonTaskDefinitionFamilyState => {
  const current = state.revisions.get(revision);
  if (!current) return state;
  return { ...state, revisions: new Map(state.revisions).set(revision, change(current)) };
};

export const daemonTaskDefinitionDecider: Decider<DaemonTaskDefinitionFamilyState, DaemonTaskDefinitionCommand, DaemonTaskDefinitionEvent> = {
  initialState: () => ({ revisions: new Map(), latestRevision: 0 }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'DaemonTaskDefinitionRegistered':
        return {
          latestRevision: event.data.revision,
          revisions: new Map(state.revisions).set(event.data.revision, { ...event.data, status: 'ACTIVE' }),
        };
      case 'DaemonTaskDefinitionDeletionRequested':
        return withRevision(state, event.data.revision, (r) => ({ ...r, status: 'DELETE_IN_PROGRESS', deleteRequestedAt: event.data.deleteRequestedAt }));
      case 'DaemonTaskDefinitionDeleted':
        return withRevision(state, event.data.revision, (r) => ({ ...r, status: 'DELETED' }));
      default:
        return assertNever(event);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterDaemonTaskDefinition':
        return register(command, state);
      case 'DeleteDaemonTaskDefinition':
        return requestDeletion(command, state);
      case 'CompleteDaemonTaskDefinitionDeletion':
        return completeDeletion(command, state);
      default:
        return assertNever(command);
    }
  },
};

/** The latest ACTIVE revision, which a bare family resolves to (spec 2.2). */
export function latestActiveRevision(state: DaemonTaskDefinitionFamilyState): DaemonTaskDefinitionRevision | undefined {
  for (let revision = state.latestRevision; revision > 0; revision--) {
    const candidate = state.revisions.get(revision);
    if (candidate?.status === 'ACTIVE') return candidate;
  }
  return undefined;
}
