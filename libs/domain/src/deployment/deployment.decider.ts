import type { DeploymentCreated, DeploymentEvent, DeploymentRollbackFailed, DeploymentStopped, EpochMillis } from '@daemonfleet/contracts';
import { assertNever, type Decider } from '../shared/decider.js';
import type { FleetState } from '../fleet/fleet.state.js';
import { deploymentCounts, observeDeploymentCounts } from './deployment-counts.js';
import { rollbackSuperseded } from './deployment-rollback.js';
import { supersededStatusReason } from './deployment-status-reasons.js';
import { evolveDeployment } from './deployment.evolve.js';
import { reconcileDeployment } from './deployment.reconcile.js';
import { initialDeploymentState, type DeploymentState } from './deployment.state.js';
import type { Observation } from './observations.js';

/** Opens the deployment's stream; a repeat (a retried reaction) changes nothing. */
export type CreateDeployment = { readonly type: 'CreateDeployment'; readonly data: DeploymentCreated['data'] };
export type ReconcileDeployment = { readonly type: 'ReconcileDeployment'; readonly data: Observation };
/**
 * A newer UpdateDaemon or DeleteDaemon supersedes the deployment (spec 2.6, 3.3). A reaction to a fact, not a user
 * request: it stops an unfinished deployment (STOPPED; a rollback in progress ends ROLLBACK_FAILED instead, as a
 * rolled-back deployment never ends STOPPED, decision 22) and does nothing to a finished one.
 */
export type StopDeployment = {
  readonly type: 'StopDeployment';
  readonly data: {
    readonly reason: 'SUPERSEDED';
    /** ARN of the newer deployment, named in the statusReason. */
    readonly supersededBy: string;
    readonly now: EpochMillis;
    /** The relevant providers, as for a reconcile: the counts the deployment ends with come from them. */
    readonly fleets: readonly FleetState[];
  };
};
/**
 * The orchestrator records the counts it observes after each reconcile (docs/rollout.md "Counts"): a fact about the
 * fleet, so it is never refused; it records nothing when they did not change or the deployment does not move
 * instances. Kept apart from ReconcileDeployment: the rollout's decisions do not depend on it.
 */
export type RecordDeploymentCounts = {
  readonly type: 'RecordDeploymentCounts';
  readonly data: { readonly now: EpochMillis; readonly fleets: readonly FleetState[] };
};
export type DeploymentCommand = CreateDeployment | ReconcileDeployment | StopDeployment | RecordDeploymentCounts;

const stopDeployment = ({ data }: StopDeployment, state: DeploymentState): (DeploymentStopped | DeploymentRollbackFailed)[] => {
  if (state.status === 'ROLLBACK_IN_PROGRESS') return [rollbackSuperseded(state, data)];
  if (state.status !== 'PENDING' && state.status !== 'IN_PROGRESS' && state.status !== 'STOP_REQUESTED') return [];
  return [
    {
      type: 'DeploymentStopped',
      data: {
        stoppedAt: data.now,
        reason: data.reason,
        statusReason: supersededStatusReason(data.supersededBy),
        finalCounts: deploymentCounts(state, data.fleets),
      },
    },
  ];
};

export const deploymentDecider: Decider<DeploymentState, DeploymentCommand, DeploymentEvent> = {
  initialState: initialDeploymentState,
  evolve: evolveDeployment,
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateDeployment':
        return state.status === 'NONE' ? [{ type: 'DeploymentCreated', data: command.data }] : [];
      case 'ReconcileDeployment':
        return reconcileDeployment(state, command.data);
      case 'StopDeployment':
        return stopDeployment(command, state);
      case 'RecordDeploymentCounts':
        return observeDeploymentCounts(state, command.data.fleets, command.data.now);
      default:
        return assertNever(command);
    }
  },
};
