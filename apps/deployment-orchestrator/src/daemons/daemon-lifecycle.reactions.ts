import { Inject, Injectable, Logger } from '@nestjs/common';
import { Streams, type DaemonDeletionRequested, type DaemonRevisionCreated, type DeploymentRollbackStarted } from '@daemonfleet/contracts';
import { resolveDaemonArn } from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { CLOCK, type Clock, type CommandContext } from '@daemonfleet/service-runtime';
import { deploymentIdOf } from '../deployments/active-deployments.js';
import { DeploymentOpener } from '../deployments/deployment-opener.js';
import { DAEMONS, DEPLOYMENTS, type Daemons, type Deployments } from '../orchestrator.aggregates.js';

/** Reactions of the orchestrator to its own daemon and deployment events. Idempotent: events may come again. */
@Injectable()
export class DaemonLifecycleReactions {
  private readonly logger = new Logger(DaemonLifecycleReactions.name);

  constructor(
    @Inject(DAEMONS) private readonly daemons: Daemons,
    @Inject(DEPLOYMENTS) private readonly deployments: Deployments,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly opener: DeploymentOpener,
  ) {}

  /**
   * OpenDeploymentWhenDaemonChanged: repairs a crash between the daemon's append (a new revision, a deletion)
   * and the opening of its deployment; a deployment already open is left as it is.
   */
  async openDeploymentWhenDaemonChanged(event: RecordedEvent): Promise<void> {
    const { daemonArn, deploymentId } = event.data as DaemonRevisionCreated['data'] | DaemonDeletionRequested['data'];
    const { state } = await this.daemons.load(daemonStream(daemonArn));
    const opened = await this.opener.open(state, deploymentId, this.contextOf(event));
    if (!opened) this.logger.error(`${event.type} at ${event.globalPosition} names deployment ${deploymentId}, which daemon ${daemonArn} does not have`);
  }

  /** RemoveDaemonWhenDeletionSucceeded (decision 7): the delete deployment is done, the daemon is gone. */
  async removeDaemonWhenDeletionSucceeded(event: RecordedEvent): Promise<void> {
    const deploymentId = deploymentIdOf(event.streamId);
    const { state } = await this.deployments.load(event.streamId);
    if (state.status !== 'SUCCESSFUL' || state.targetRevision !== null) return;
    const context = this.contextOf(event);
    await this.daemons.handle(daemonStream(state.daemonArn), { type: 'RemoveDaemon', data: { deploymentId, now: context.now } }, context);
  }

  /**
   * RestoreRevisionWhenRollbackStarted (spec 3.7, 3.9): new instances of the daemon launch the revision rolled back
   * to, as the rollback's replacements do, until a newer revision is created. The daemon refuses nothing here:
   * a rollback superseded in the meantime, or a repeat, changes nothing.
   */
  async restoreRevisionWhenRollbackStarted(event: RecordedEvent): Promise<void> {
    const deploymentId = deploymentIdOf(event.streamId);
    const { rollbackTarget } = (event as unknown as DeploymentRollbackStarted).data;
    const { state } = await this.deployments.load(event.streamId);
    if (state.status === 'NONE') return;
    const context = this.contextOf(event);
    await this.daemons.handle(daemonStream(state.daemonArn), { type: 'RestoreRevision', data: { deploymentId, revisionArn: rollbackTarget.arn, now: context.now } }, context);
  }

  private contextOf(event: RecordedEvent): CommandContext {
    return { correlationId: event.metadata.correlationId ?? event.metadata.eventId, causationId: event.metadata.eventId, now: this.clock.now() };
  }
}

function daemonStream(daemonArn: string): string {
  const { scope, clusterName, daemonName } = resolveDaemonArn('daemonArn', daemonArn);
  return Streams.daemon(scope, clusterName, daemonName);
}
