import { Inject, Injectable } from '@nestjs/common';
import { Streams, type DeploymentCreated, type DeploymentEvent } from '@daemonfleet/contracts';
import {
  deploymentCreatedFor,
  evolveDeployment,
  initialDeploymentState,
  isUnfinished,
  providersToObserve,
  resolveDaemonArn,
  type DaemonState,
  type DeploymentState,
} from '@daemonfleet/domain';
import type { CommandContext, HandledCommand } from '@daemonfleet/service-runtime';
import { FleetProjection } from '../fleet/fleet-projection.js';
import { DAEMONS, DEPLOYMENTS, type Daemons, type Deployments } from '../orchestrator.aggregates.js';
import { ActiveDeployments } from './active-deployments.js';

/**
 * Opens the stream of one of a daemon's deployments, after stopping the earlier deployments of the daemon that are
 * still unfinished (spec 2.6: superseded; a rollback in progress ends ROLLBACK_FAILED, decision 22). Used by CreateDaemon, UpdateDaemon and DeleteDaemon, and
 * by the reaction that repairs a crash between the daemon's append and these.
 * Invariant: an earlier deployment is stopped before the newer one's stream exists, so the two never reconcile
 * at the same time; a deployment already open is left as it is (and nothing is stopped on its account).
 * A deployment the daemon superseded before it was opened (its reaction delivered late, after a newer deployment
 * opened; a request that lost a race to a newer one) is never started: it is opened stopped, in one append
 * (OpenSupersededDeployment), by whichever comes first, its own opening or the newer one's. Both write its stream
 * at version 0, so the one that comes second finds it there and does nothing.
 */
@Injectable()
export class DeploymentOpener {
  constructor(
    @Inject(DEPLOYMENTS) private readonly deployments: Deployments,
    @Inject(DAEMONS) private readonly daemons: Daemons,
    private readonly fleet: FleetProjection,
    private readonly active: ActiveDeployments,
  ) {}

  /** undefined when the daemon has no such deployment. */
  async open(daemon: DaemonState, deploymentId: string, context: CommandContext): Promise<HandledCommand<DeploymentState, DeploymentEvent> | undefined> {
    if (daemon.status === 'NONE') return undefined;
    const stream = Streams.daemonDeployment(deploymentId);
    const existing = await this.deployments.load(stream);
    if (existing.state.status !== 'NONE') return { ...existing, newEvents: [] };
    const created = this.deploymentCreated(daemon, deploymentId);
    if (!created) return undefined;
    const supersededBy = await this.newerDeploymentArn(daemon.daemonArn, deploymentId);
    if (supersededBy) return this.openSuperseded(created, supersededBy, context);

    const earlier = daemon.deployments.slice(0, daemon.deployments.findIndex((d) => d.deploymentId === deploymentId)).map((d) => d.deploymentId);
    const unfinished = new Set(this.active.unfinishedOf(daemon.daemonArn));
    // The one just before is stopped even if the views have not seen it yet; older ones only if they are known unfinished.
    for (const id of earlier.filter((id, index) => index === earlier.length - 1 || unfinished.has(id))) await this.stop(daemon, id, created.daemonDeploymentArn, context);
    return this.deployments.handle(stream, { type: 'CreateDeployment', data: created }, context);
  }

  private async stop(daemon: DaemonState, deploymentId: string, newerDeploymentArn: string, context: CommandContext): Promise<void> {
    const stream = Streams.daemonDeployment(deploymentId);
    const { state } = await this.deployments.load(stream);
    if (state.status === 'NONE') {
      // Not opened (yet): its opening may still come (a late reaction, a request on its way). Opened stopped now, it never runs.
      const created = this.deploymentCreated(daemon, deploymentId);
      if (created) await this.openSuperseded(created, newerDeploymentArn, context);
      return;
    }
    if (!isUnfinished(state)) return;
    const fleets = this.fleet.fleetsFor(state.daemonArn, providersToObserve(state));
    await this.deployments.handle(stream, { type: 'StopDeployment', data: { reason: 'SUPERSEDED', supersededBy: newerDeploymentArn, now: context.now, fleets } }, context);
  }

  private deploymentCreated(daemon: DaemonState, deploymentId: string): DeploymentCreated['data'] | undefined {
    return daemon.status === 'NONE' ? undefined : deploymentCreatedFor(daemon, deploymentId, this.fleet.revisionsOnInstances(daemon.daemonArn));
  }

  /**
   * The deployment that superseded this one, from the daemon's stream as it is now (the caller's state may be
   * older: a reaction's event, a request that lost a race): the next one of the daemon, if there is one.
   */
  private async newerDeploymentArn(daemonArn: string, deploymentId: string): Promise<string | undefined> {
    const { scope, clusterName, daemonName } = resolveDaemonArn('daemonArn', daemonArn);
    const { state } = await this.daemons.load(Streams.daemon(scope, clusterName, daemonName));
    if (state.status === 'NONE') return undefined;
    const index = state.deployments.findIndex((d) => d.deploymentId === deploymentId);
    return index === -1 ? undefined : state.deployments[index + 1]?.deploymentArn;
  }

  private openSuperseded(created: DeploymentCreated['data'], supersededBy: string, context: CommandContext): Promise<HandledCommand<DeploymentState, DeploymentEvent>> {
    const pending = evolveDeployment(initialDeploymentState(), { type: 'DeploymentCreated', data: created });
    const fleets = isUnfinished(pending) ? this.fleet.fleetsFor(created.daemonArn, providersToObserve(pending)) : [];
    return this.deployments.handle(
      Streams.daemonDeployment(created.deploymentId),
      { type: 'OpenSupersededDeployment', data: { created, stop: { reason: 'SUPERSEDED', supersededBy, now: context.now, fleets } } },
      context,
    );
  }
}
