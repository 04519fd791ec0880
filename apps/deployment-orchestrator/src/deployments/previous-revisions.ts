import { Injectable } from '@nestjs/common';
import type { DaemonEvent, DeploymentCreated, DeploymentTargetRevision } from '@daemonfleet/contracts';
import {
  forgetDaemon,
  initialStableRevisions,
  isTerminal,
  previousRevisionOf,
  recordFinishedDeployment,
  type DeploymentState,
} from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';

/**
 * What each daemon's deployments would roll back to (spec 3.7, the domain's `previousRevisionOf`): per daemon, the
 * revision its latest deployment that ended well left in place. Fed the deployments as they finish (the views fold
 * them) and the daemon events (a daemon created again under the same ARN starts with nothing).
 */
@Injectable()
export class PreviousRevisions {
  private readonly stable = initialStableRevisions();

  applyDaemonEvent(event: RecordedEvent): void {
    const daemonEvent = event as unknown as DaemonEvent;
    if (daemonEvent.type === 'DaemonCreated') forgetDaemon(this.stable, daemonEvent.data.daemonArn);
  }

  applyDeployment(state: DeploymentState): void {
    if (isTerminal(state)) recordFinishedDeployment(this.stable, state);
  }

  of(deployment: DeploymentCreated['data']): DeploymentTargetRevision | null {
    return previousRevisionOf(this.stable, deployment);
  }
}
