import type { DeploymentCreated, DeploymentEvent } from '@daemonfleet/contracts';
import { assertNever, type Decider } from '../shared/decider.js';
import { reconcileDeployment, type Observation } from './deployment.reconcile.js';
import { evolveDeployment, initialDeploymentState, type DeploymentState } from './deployment.state.js';

/** Opens the deployment's stream; a repeat (a retried reaction) changes nothing. */
export type CreateDeployment = { readonly type: 'CreateDeployment'; readonly data: DeploymentCreated['data'] };
export type ReconcileDeployment = { readonly type: 'ReconcileDeployment'; readonly data: Observation };
export type DeploymentCommand = CreateDeployment | ReconcileDeployment;

export const deploymentDecider: Decider<DeploymentState, DeploymentCommand, DeploymentEvent> = {
  initialState: initialDeploymentState,
  evolve: evolveDeployment,
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateDeployment':
        return state.status === 'NONE' ? [{ type: 'DeploymentCreated', data: command.data }] : [];
      case 'ReconcileDeployment':
        return reconcileDeployment(state, command.data);
      default:
        return assertNever(command);
    }
  },
};
