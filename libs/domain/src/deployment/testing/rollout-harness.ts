import type { DeploymentCreated, DeploymentEvent, DeploymentTargetRevision, PlannedDaemonTask } from '@daemonfleet/contracts';
import type { DaemonPlacement } from '../../capacity-provider/fleet-simulation.js';
import { deploymentDecider } from '../deployment.decider.js';
import { isTerminal, type DeploymentState } from '../deployment.state.js';
import { failedStartsOf } from '../failed-starts.js';
import { pendingFleetCommands, type PendingFleetCommand } from '../fleet-commands.js';
import type { AlarmView, Observation } from '../observations.js';
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

/** The daemon's placement at a revision: what the fleet agent's DaemonPlacements holds for it. */
export const placement = (revision: DeploymentTargetRevision, daemon = daemonArn): DaemonPlacement => ({ ...planned(revision, daemon), capacityProviderArns: [...revision.capacityProviderArns] });

/**
 * Drives one deployment against a SimulatedFleet the way the orchestrator's runner does: reconcile, append, send
 * the pending commands fenced by the stream version. Each step is separate, so tests choose their interleaving.
 * The alarms it observes are `alarms` (a test changes them); the failed starts are the fleet's count. The fleet
 * places the daemon at the deployment's target (UpdateDaemon created that revision); once a rollback starts, the
 * orchestrator restores the rollback target on the daemon (DaemonRevisionRestored) and the fleet learns it
 * asynchronously: `restoreRevision()` is that moment (runToEnd takes it right after the reconcile that started it).
 */
export class RolloutHarness {
  readonly events: DeploymentEvent[] = [];
  state: DeploymentState;
  alarms: AlarmView = {};
  /** The revision a rollback restored on the daemon, not learnt by the fleet yet. */
  private restoring: DeploymentTargetRevision | null = null;

  constructor(
    readonly fleet: SimulatedFleet,
    readonly deployment: DeploymentCreated['data'],
    readonly bakeDurationMs = 0,
    /** What a rollback returns to (null: nothing, decision 6). */
    readonly previousRevision: DeploymentTargetRevision | null = null,
  ) {
    this.state = deploymentDecider.evolve(deploymentDecider.initialState(), this.record({ type: 'DeploymentCreated', data: deployment }));
    if (deployment.targetRevision) fleet.placements.set(deployment.daemonArn, placement(deployment.targetRevision, deployment.daemonArn));
  }

  observation(): Observation {
    return {
      now: this.fleet.now,
      fleets: [...this.fleet.fleets.values()],
      alarms: this.alarms,
      bakeDurationMs: this.bakeDurationMs,
      failedStarts: failedStartsOf(this.fleet.failedStarts, this.deployment.deploymentId),
      previousRevision: this.previousRevision,
    };
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

  /** The fleet learns the revision the rollback restored on the daemon (DaemonRevisionRestored): retries launch it from now on. */
  restoreRevision(): void {
    if (this.restoring) this.fleet.placements.set(this.deployment.daemonArn, placement(this.restoring, this.deployment.daemonArn));
    this.restoring = null;
  }

  /** Reconciles, sends and lets the fleet settle everything, until the deployment finishes or `maxRounds` pass. */
  runToEnd({ maxRounds = 200, onRound }: { maxRounds?: number; onRound?: () => void } = {}): DeploymentState {
    for (let round = 0; round < maxRounds && !isTerminal(this.state); round++) {
      this.reconcile();
      this.restoreRevision();
      this.sendPendingCommands();
      onRound?.();
      for (const step of this.fleet.possibleSteps()) step();
      this.fleet.now += 1_000;
    }
    return this.state;
  }

  private record(event: DeploymentEvent): DeploymentEvent {
    this.events.push(event);
    if (event.type === 'DeploymentRollbackStarted') this.restoring = event.data.rollbackTarget;
    return event;
  }
}
