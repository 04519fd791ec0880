import { Inject, Injectable } from '@nestjs/common';
import { Streams, type DeploymentEvent } from '@daemonfleet/contracts';
import { deploymentCreatedFor, isUnfinished, providersToObserve, type DaemonState, type DeploymentState } from '@daemonfleet/domain';
import type { CommandContext, HandledCommand } from '@daemonfleet/service-runtime';
import { FleetProjection } from '../fleet/fleet-projection.js';
import { DEPLOYMENTS, type Deployments } from '../orchestrator.aggregates.js';
import { ActiveDeployments } from './active-deployments.js';

/**
 * Opens the stream of one of a daemon's deployments, after stopping the earlier deployments of the daemon that are
 * still unfinished (spec 2.6: superseded; a rollback in progress ends ROLLBACK_FAILED, decision 22). Used by CreateDaemon, UpdateDaemon and DeleteDaemon, and
 * by the reaction that repairs a crash between the daemon's append and these.
 * Invariant: an earlier deployment is stopped before the newer one's stream exists, so the two never reconcile
 * at the same time; a deployment already open is left as it is (and nothing is stopped on its account).
 */
@Injectable()
export class DeploymentOpener {
  constructor(
    @Inject(DEPLOYMENTS) private readonly deployments: Deployments,
    private readonly fleet: FleetProjection,
    private readonly active: ActiveDeployments,
  ) {}

  /** undefined when the daemon has no such deployment. */
  async open(daemon: DaemonState, deploymentId: string, context: CommandContext): Promise<HandledCommand<DeploymentState, DeploymentEvent> | undefined> {
    if (daemon.status === 'NONE') return undefined;
    const stream = Streams.daemonDeployment(deploymentId);
    const existing = await this.deployments.load(stream);
    if (existing.state.status !== 'NONE') return { ...existing, newEvents: [] };
    const created = deploymentCreatedFor(daemon, deploymentId, this.fleet.revisionsOnInstances(daemon.daemonArn));
    if (!created) return undefined;

    const earlier = daemon.deployments.slice(0, daemon.deployments.findIndex((d) => d.deploymentId === deploymentId)).map((d) => d.deploymentId);
    const unfinished = new Set(this.active.unfinishedOf(daemon.daemonArn));
    // The one just before is stopped even if the views have not seen it yet; older ones only if they are known unfinished.
    for (const id of earlier.filter((id, index) => index === earlier.length - 1 || unfinished.has(id))) await this.stop(id, created.daemonDeploymentArn, context);
    return this.deployments.handle(stream, { type: 'CreateDeployment', data: created }, context);
  }

  private async stop(deploymentId: string, newerDeploymentArn: string, context: CommandContext): Promise<void> {
    const stream = Streams.daemonDeployment(deploymentId);
    const { state } = await this.deployments.load(stream);
    if (!isUnfinished(state)) return;
    const fleets = this.fleet.fleetsFor(state.daemonArn, providersToObserve(state));
    await this.deployments.handle(stream, { type: 'StopDeployment', data: { reason: 'SUPERSEDED', supersededBy: newerDeploymentArn, now: context.now, fleets } }, context);
  }
}
