import { NAME_PATTERN, type EpochMillis, type Scope, type TaskDefinitionEvent, type TaskDefinitionRegistered } from '@daemonfleet/contracts';
import { Arns, parseEcsArn } from '../shared/arns.js';
import { assertNever, type Decider } from '../shared/decider.js';
import { InvalidParameter } from '../shared/domain-errors.js';

export type TaskDefinitionRevision = TaskDefinitionRegistered['data'];

/** An application task definition family (what services run, not daemons): revisions 1, 2, … that never change. */
export interface TaskDefinitionFamilyState {
  readonly revisions: ReadonlyMap<number, TaskDefinitionRevision>;
  readonly latestRevision: number;
}

export type RegisterTaskDefinition = {
  readonly type: 'RegisterTaskDefinition';
  readonly data: { readonly scope: Scope; readonly family: string; readonly definition: Record<string, unknown>; readonly now: EpochMillis };
};

export type TaskDefinitionCommand = RegisterTaskDefinition;

/** The family's stream version allocates the revision: two registrations never get the same one. */
const register = ({ data }: RegisterTaskDefinition, state: TaskDefinitionFamilyState): TaskDefinitionRegistered[] => {
  const revision = state.latestRevision + 1;
  return [
    {
      type: 'TaskDefinitionRegistered',
      data: {
        taskDefinitionArn: Arns.taskDefinition(data.scope, data.family, revision),
        family: data.family,
        revision,
        definition: data.definition,
        registeredAt: data.now,
      },
    },
  ];
};

export const taskDefinitionDecider: Decider<TaskDefinitionFamilyState, TaskDefinitionCommand, TaskDefinitionEvent> = {
  initialState: () => ({ revisions: new Map(), latestRevision: 0 }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'TaskDefinitionRegistered':
        return { latestRevision: event.data.revision, revisions: new Map(state.revisions).set(event.data.revision, event.data) };
      default:
        return assertNever(event.type);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterTaskDefinition':
        return register(command, state);
      default:
        return assertNever(command.type);
    }
  },
};

/** The revision a reference names; a bare family means the latest. */
export function findTaskDefinition(state: TaskDefinitionFamilyState, revision: number | undefined): TaskDefinitionRevision | undefined {
  return state.revisions.get(revision ?? state.latestRevision);
}

export interface TaskDefinitionReference {
  readonly scope: Scope;
  readonly family: string;
  /** undefined for a bare family: the latest revision. */
  readonly revision?: number;
}

const FAMILY_REVISION = /^([A-Za-z0-9_-]{1,255}):([1-9][0-9]{0,8})$/;

/** `family`, `family:revision` or a task definition ARN (`…:task-definition/family:revision`). */
export function resolveTaskDefinitionReference(field: string, reference: string, scope: Scope): TaskDefinitionReference {
  const arn = parseEcsArn(reference);
  const local = arn ? (arn.resourceType === 'task-definition' && arn.path.length === 1 ? arn.path[0] : null) : reference;
  const familyRevision = local === null ? null : FAMILY_REVISION.exec(local);
  if (familyRevision) return { scope: arn?.scope ?? scope, family: familyRevision[1], revision: Number(familyRevision[2]) };
  if (local !== null && !arn && NAME_PATTERN.test(local)) return { scope, family: local };
  throw new InvalidParameter(field, `${field}: ${JSON.stringify(reference)} is not a task definition family, family:revision or ARN`);
}
