import { Inject, Injectable, Logger } from '@nestjs/common';
import { Streams } from '@daemonfleet/contracts';
import {
  isUnfinished,
  parseEcsArn,
  pendingFleetCommands,
  providersToObserve,
  watchedAlarmNames,
  type DeploymentState,
  type Observation,
} from '@daemonfleet/domain';
import { CLOCK, IDS, METRICS, SERVICE_CONFIG, type Clock, type IdGenerator, type ServiceConfig, type ServiceMetrics } from '@daemonfleet/service-runtime';
import { AlarmProjection } from '../alarms/alarm-projection.js';
import { serviceMeta } from '../collaborators/collaborators.js';
import { FleetProjection } from '../fleet/fleet-projection.js';
import { DEPLOYMENTS, type Deployments } from '../orchestrator.aggregates.js';
import { FleetCommandSender } from './fleet-command-sender.js';
import { PreviousRevisions } from './previous-revisions.js';

export interface ReconcileTrigger {
  /** The request the deployment belongs to, carried onto every event the reconcile writes. */
  readonly correlationId?: string;
  /** The event that prompted this reconcile, if one did. */
  readonly causationId?: string;
}

/** The bake time in milliseconds of simulated time: minutes divided by TIME_SCALE (architecture section 5). */
const bakeDurationMs = (bakeTimeInMinutes: number, timeScale: number): number => (bakeTimeInMinutes * 60_000) / timeScale;

/**
 * Runs the domain's reconcile for one deployment: load it (cached by version), observe the projections (the fleet
 * and its failed starts, the alarms, what a rollback would return to), decide, append, record the counts the fleet
 * shows now if they moved, then send the fleet what it must still be told, fenced by the stream version after that.
 * Every observation is local: no reconcile waits on another service. Level-triggered: any number of triggers (fleet
 * and alarm events, the resync tick, redeliveries) may arrive; runs for one deployment never overlap here, and
 * triggers that arrive during a run coalesce into one more run.
 * Replicas racing on one deployment are fenced by the stream version: the loser reloads and finds nothing to do.
 */
@Injectable()
export class DeploymentReconciler {
  private readonly logger = new Logger(DeploymentReconciler.name);
  private readonly runs = new Map<string, { again: ReconcileTrigger | null; done: Promise<void> }>();

  constructor(
    @Inject(DEPLOYMENTS) private readonly deployments: Deployments,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly fleet: FleetProjection,
    private readonly alarms: AlarmProjection,
    private readonly previousRevisions: PreviousRevisions,
    private readonly commands: FleetCommandSender,
    @Inject(METRICS) private readonly metrics: ServiceMetrics,
  ) {}

  request(deploymentId: string, trigger: ReconcileTrigger = {}): void {
    const running = this.runs.get(deploymentId);
    if (running) {
      running.again = trigger;
      return;
    }
    const run = { again: trigger as ReconcileTrigger | null, done: Promise.resolve() };
    this.runs.set(deploymentId, run);
    run.done = this.runUntilSettled(deploymentId, run).finally(() => this.runs.delete(deploymentId));
  }

  /** Resolves when every run in progress has finished (used on shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }

  private async runUntilSettled(deploymentId: string, run: { again: ReconcileTrigger | null }): Promise<void> {
    while (run.again) {
      // Yield to the event loop first: the events of a burst (a drain of thousands of instances is one append)
      // reach the projection before the reconcile looks at it, and their triggers coalesce into this one run.
      await new Promise((resolve) => setImmediate(resolve));
      const trigger = run.again;
      run.again = null;
      try {
        await this.metrics.timeReconcile('deployment', () => this.reconcile(deploymentId, trigger));
      } catch (error) {
        // The resync tick will try again; an outage of the fleet agent must not stop the loop.
        this.logger.warn(`reconcile of deployment ${deploymentId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  async reconcile(deploymentId: string, trigger: ReconcileTrigger = {}): Promise<DeploymentState> {
    const stream = Streams.daemonDeployment(deploymentId);
    const { state } = await this.deployments.load(stream);
    if (!isUnfinished(state)) return state;

    const correlationId = trigger.correlationId ?? this.ids.uuid();
    const { scope } = parseEcsArn(state.daemonArn)!;
    const meta = serviceMeta(scope, correlationId);
    const now = this.clock.now();
    const observation: Observation = {
      now,
      fleets: this.fleet.fleetsFor(state.daemonArn, providersToObserve(state)),
      alarms: this.alarms.view(scope, watchedAlarmNames(state)),
      bakeDurationMs: bakeDurationMs(state.deploymentConfiguration.bakeTimeInMinutes, this.config.timeScale),
      failedStarts: this.fleet.failedStartsOf(deploymentId),
      previousRevision: this.previousRevisions.of(state),
    };
    const context = { correlationId, causationId: trigger.causationId, now };
    const reconciled = await this.deployments.handle(stream, { type: 'ReconcileDeployment', data: observation }, context);
    // The fleet as it is now: the projection may have moved on while the append was in flight.
    const fleets = this.fleet.fleetsFor(state.daemonArn, isUnfinished(reconciled.state) ? providersToObserve(reconciled.state) : []);
    // DescribeDaemonDeployments shows the counts the stream last recorded (docs/rollout.md "Counts"): record them
    // when they moved, so the stream alone says what the deployment showed at each of its versions.
    const handled = await this.deployments.handle(stream, { type: 'RecordDeploymentCounts', data: { now, fleets } }, context);
    await this.commands.send(pendingFleetCommands(handled.state, { fleets }), handled.version, meta);
    return handled.state;
  }
}
