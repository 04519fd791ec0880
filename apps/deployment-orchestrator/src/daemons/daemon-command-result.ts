import type { CommandReply, DaemonCommandResult } from '@daemonfleet/contracts';
import { isLiveDaemon, latestDeployment, type DaemonState } from '@daemonfleet/domain';

/** UpdateDaemon's and DeleteDaemon's answer (spec 2.6, 2.7), from the daemon's state after the command. */
export function daemonCommandResult(daemon: DaemonState, position: number): CommandReply<DaemonCommandResult> {
  if (!isLiveDaemon(daemon)) throw new Error('the command left no live daemon behind');
  return {
    result: {
      daemonArn: daemon.daemonArn,
      status: daemon.status,
      createdAt: daemon.createdAt,
      updatedAt: daemon.updatedAt,
      deploymentArn: latestDeployment(daemon)!.deploymentArn,
    },
    position,
  };
}
