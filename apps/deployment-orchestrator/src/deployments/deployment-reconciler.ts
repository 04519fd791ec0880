import { Inject, Injectable, Logger } from '@nestjs/common';
import { Streams } from '@daemonfleet/contracts';
import { isTerminal, parseEcsArn, type DeploymentState } from '@daemonfleet/domain';
import { CLOCK, IDS, type Clock, type IdGenerator } from '@daemonfleet/service-runtime';
import { Collaborators, serviceMeta } from '../collaborators/collaborators.js';
import { DEPLOYMENTS, type Deployments } from '../orchestrator.aggregates.js';

export interface ReconcileTrigger {
  /** The request the deployment belongs to, carried onto every event the reconcile writes. */
  readonly correlationId?: string;
  /** The event that prompted this reconcile, if one did. */
  readonly causationId?: string;
}

/**
 * Runs the domain's reconcile for one deployment: load it, observe the fleet and the alarms, decide, append.
 * Level-triggered: any number of triggers (events, the resync tick, redeliveries) may arrive; runs for one
 * deployment never overlap here, and triggers that arrive during a run coalesce into one more run. Replicas
 * racing on one deployment are fenced by the stream version: the loser reloads and finds nothing left to do.
 */
@Injectable()
export class DeploymentReconciler {
  private readonly logger = new Logger(DeploymentReconciler.name);
  private readonly runs = new Map<string, { again: ReconcileTrigger | null; done: Promise<void> }>();

  constructor(
    @Inject(DEPLOYMENTS) private readonly deployments: Deployments,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    private readonly collaborators: Collaborators,
  ) {}

  request(deploymentId: string, trigger: ReconcileTrigger = {}): void {
    const running = this.runs.get(deploymentId);
    if (running) {
      running.again = trigger;
      return;
    }
    const run = { again: null as ReconcileTrigger | null, done: Promise.resolve() };
    this.runs.set(deploymentId, run);
    run.done = this.runUntilSettled(deploymentId, trigger, run).finally(() => this.runs.delete(deploymentId));
  }

  /** Resolves when every run in progress has finished (used on shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }

  private async runUntilSettled(deploymentId: string, first: ReconcileTrigger, run: { again: ReconcileTrigger | null }): Promise<void> {
    let trigger: ReconcileTrigger | null = first;
    while (trigger) {
      run.again = null;
      try {
        await this.reconcile(deploymentId, trigger);
      } catch (error) {
        // The resync tick will try again; an outage of the fleet agent must not stop the loop.
        this.logger.warn(`reconcile of deployment ${deploymentId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      trigger = run.again;
    }
  }

  async reconcile(deploymentId: string, trigger: ReconcileTrigger = {}): Promise<DeploymentState> {
    const stream = Streams.daemonDeployment(deploymentId);
    const { state } = await this.deployments.load(stream);
    if (state.status === 'NONE' || isTerminal(state)) return state;

    const correlationId = trigger.correlationId ?? this.ids.uuid();
    const meta = serviceMeta(parseEcsArn(state.daemonArn)!.scope, correlationId);
    const watchedAlarms = state.status === 'PENDING' ? configuredAlarms(state) : state.alarms.monitored;
    const [instances, alarms] = await Promise.all([
      this.collaborators.instances([...(state.targetRevision?.capacityProviderArns ?? [])], meta),
      this.collaborators.alarmStates(watchedAlarms, meta),
    ]);
    const now = this.clock.now();
    const handled = await this.deployments.handle(
      stream,
      {
        type: 'ReconcileDeployment',
        data: { now, fleet: { instances }, alarms: { states: Object.fromEntries(alarms.map((a) => [a.alarmName, a.stateValue])) } },
      },
      { correlationId, causationId: trigger.causationId, now },
    );
    return handled.state;
  }
}

function configuredAlarms(state: Extract<DeploymentState, { status: 'PENDING' }>): readonly string[] {
  const { enable, alarmNames } = state.deploymentConfiguration.alarms;
  return enable ? alarmNames : [];
}
