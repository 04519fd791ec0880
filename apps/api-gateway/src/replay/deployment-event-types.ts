import type { DeploymentEvent } from '@daemonfleet/contracts';

/** Every deployment event type, for filters: the check below fails to compile when the union gains one not listed. */
export const DEPLOYMENT_EVENT_TYPES = [
  'DeploymentCreated',
  'DeploymentStarted',
  'DaemonTasksAdopted',
  'InstanceDrainsRequested',
  'InstancesReplaced',
  'DeploymentCountsObserved',
  'DeploymentBakeStarted',
  'DeploymentSucceeded',
  'DeploymentStopped',
  'CircuitBreakerFailuresRecorded',
  'DeploymentAlarmsTriggered',
  'DeploymentStopRequested',
  'DeploymentRollbackStarted',
  'DeploymentRolledBack',
  'DeploymentRollbackFailed',
] as const satisfies readonly DeploymentEvent['type'][];

type Unlisted = Exclude<DeploymentEvent['type'], (typeof DEPLOYMENT_EVENT_TYPES)[number]>;
const everyTypeListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyTypeListed;

const KNOWN: ReadonlySet<string> = new Set(DEPLOYMENT_EVENT_TYPES);

/** Whether this code knows the type (a newer release may have written one it does not). */
export function isDeploymentEvent(event: { readonly type: string; readonly data: unknown }): event is DeploymentEvent {
  return KNOWN.has(event.type);
}
