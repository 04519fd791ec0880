import type { DeploymentCreated, DeploymentEvent, DeploymentTargetRevision, PlannedDaemonTask } from '@daemonfleet/contracts';
import { deploymentDecider } from '../deployment.decider.js';
import type { DeploymentState } from '../deployment.state.js';
import { pendingFleetCommands, type PendingFleetCommand } from '../fleet-commands.js';
import type { Observation } from '../observations.js';
import type { SimulatedFleet } from './simulated-fleet.js';

// Fixed ids: no randomness in fixtures.
const prefix = 'arn:aws:ecs:us-east-1:123456789012';
export const daemonArn = `${prefix}:daemon/prod/monitor`;
export const otherDaemonArn = `${prefix}:daemon/prod/logger`;
export const providerArn = (name: string) => `${prefix}:capacity-provider/${name}`;
export const revisionArn = (id: string) => `${prefix}:daemon-revision/prod/monitor/${id}`;
export const taskDefinitionArn = (revision: number) => `${prefix}:daemon-task-definition/agent:${revision}`;
export const deploymentId = 'aB1cD2eF3gH4iJ5k';

export const target = (overrides: Partial<DeploymentTargetRevision> = {}): DeploymentTargetRevision => ({
  arn: revisionArn('target'),
  daemonTaskDefinitionArn: taskDefinitionArn(2),
  capacityProviderArns: [providerArn('mi')],
  critical: true,
  ...overrides,
});

/** The task of the daemon an instance runs at a revision (by default the target's). */
export const planned = (revision: DeploymentTargetRevision | { arn: string; daemonTaskDefinitionArn: string; critical: boolean }, daemon = daemonArn): PlannedDaemonTask => ({
  daemonArn: daemon,
  daemonRevisionArn: revision.arn,
  daemonTaskDefinitionArn: revision.daemonTaskDefinitionArn,
  critical: revision.critical,
});

export const created = (overrides: Partial<DeploymentCreated['data']> = {}, drainPercent = 25, bakeTimeInMinutes = 0): DeploymentCreated['data'] => ({
  deploymentId,
  daemonDeploymentArn: `${prefix}:daemon-deployment/prod/monitor/${deploymentId}`,
  daemonArn,
  clusterArn: `${prefix}:cluster/prod`,
  targetRevision: target(),
  sourceRevisionArns: [],
  deploymentConfiguration: { drainPercent, bakeTimeInMinutes, alarms: { alarmNames: [], enable: false } },
  createdAt: 1_742_039_995_000,
  ...overrides,
});

/**
 * Drives one deployment against a SimulatedFleet the way the orchestrator's runner does: reconcile, append, send
 * the pending commands fenced by the stream version. Each step is separate, so tests choose their interleaving.
 */
export class RolloutHarness {
  readonly events: DeploymentEvent[] = [];
  state: DeploymentState;

  constructor(
    readonly fleet: SimulatedFleet,
    readonly deployment: DeploymentCreated['data'],
    readonly bakeDurationMs = 0,
  ) {
    this.state = deploymentDecider.evolve(deploymentDecider.initialState(), this.record({ type: 'DeploymentCreated', data: deployment }));
  }

  observation(): Observation {
    return { now: this.fleet.now, fleets: [...this.fleet.fleets.values()], alarms: { states: {} }, bakeDurationMs: this.bakeDurationMs };
  }

  reconcile(): DeploymentEvent[] {
    const decided = deploymentDecider.decide({ type: 'ReconcileDeployment', data: this.observation() }, this.state);
    for (const event of decided) this.state = deploymentDecider.evolve(this.state, this.record(event));
    return decided;
  }

  pendingCommands(): PendingFleetCommand[] {
    return pendingFleetCommands(this.state, this.observation());
  }

  /** Sends the pending commands with the stream version as fence, as the runner does after its append. */
  sendPendingCommands(): void {
    for (const command of this.pendingCommands()) this.fleet.handle(command, this.events.length);
  }

  /** Instances the fleet shows draining for this deployment. */
  draining(): number {
    return this.fleet.instances().filter((i) => i.drain?.deploymentId === this.deployment.deploymentId).length;
  }

  /** Reconciles, sends and lets the fleet settle everything, until the deployment finishes or `maxRounds` pass. */
  runToEnd({ maxRounds = 200, onRound }: { maxRounds?: number; onRound?: () => void } = {}): DeploymentState {
    for (let round = 0; round < maxRounds && this.state.status !== 'SUCCESSFUL' && this.state.status !== 'STOPPED'; round++) {
      this.reconcile();
      this.sendPendingCommands();
      onRound?.();
      for (const step of this.fleet.possibleSteps()) step();
      this.fleet.now += 1_000;
    }
    return this.state;
  }

  private record(event: DeploymentEvent): DeploymentEvent {
    this.events.push(event);
    return event;
  }
}
