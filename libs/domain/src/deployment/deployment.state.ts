import type { DeploymentCreated, DeploymentEvent, EpochMillis, RevisionInstanceCounts } from '@daemonfleet/contracts';
import { assertNever } from '../shared/decider.js';

type Created = DeploymentCreated['data'];

/** Fixed when the deployment starts (decisions 1 and 3), then counted. */
export interface RolloutProgress {
  readonly startedAt: EpochMillis;
  readonly instancesInScope: number;
  readonly batchSize: number;
  readonly circuitBreaker: { readonly threshold: number; readonly failureCount: number };
  readonly alarms: { readonly monitored: readonly string[]; readonly ignoredAtStart: readonly string[]; readonly triggered: readonly string[] };
  readonly revisionCounts: readonly RevisionInstanceCounts[];
}

/** A deployment's state is a union on its status: each status carries only what is valid in it. */
export type DeploymentState =
  | { readonly status: 'NONE' }
  | (Created & { readonly status: 'PENDING' })
  | (Created & RolloutProgress & { readonly status: 'IN_PROGRESS' })
  | (Created & RolloutProgress & { readonly status: 'SUCCESSFUL'; readonly finishedAt: EpochMillis });

export type DeploymentStatus = Exclude<DeploymentState['status'], 'NONE'>;

export const TERMINAL_STATUSES: readonly DeploymentStatus[] = ['SUCCESSFUL'];

export function isTerminal(state: DeploymentState): boolean {
  return state.status !== 'NONE' && TERMINAL_STATUSES.includes(state.status);
}

export const initialDeploymentState = (): DeploymentState => ({ status: 'NONE' });

export function evolveDeployment(state: DeploymentState, event: DeploymentEvent): DeploymentState {
  switch (event.type) {
    case 'DeploymentCreated':
      return state.status === 'NONE' ? { ...event.data, status: 'PENDING' } : state;
    case 'DeploymentStarted': {
      if (state.status !== 'PENDING') return state;
      const { startedAt, instancesInScope, batchSize, circuitBreakerThreshold, monitoredAlarmNames, alarmsInAlarmAtStart, revisionCounts } =
        event.data;
      return {
        ...state,
        status: 'IN_PROGRESS',
        startedAt,
        instancesInScope,
        batchSize,
        circuitBreaker: { threshold: circuitBreakerThreshold, failureCount: 0 },
        alarms: { monitored: monitoredAlarmNames, ignoredAtStart: alarmsInAlarmAtStart, triggered: [] },
        revisionCounts,
      };
    }
    case 'DeploymentSucceeded':
      return state.status === 'IN_PROGRESS' ? { ...state, status: 'SUCCESSFUL', finishedAt: event.data.finishedAt } : state;
    default:
      return assertNever(event);
  }
}
