import type { DaemonTaskFailedToStart, EpochMillis, InstanceProvisioningFailed, PlannedDaemonTask } from '@daemonfleet/contracts';
import type { FaultRule } from '../fault/fault-rule.decider.js';
import type { DaemonTaskState, InstanceState } from '../fleet/fleet.state.js';
import type { FleetTimings } from './fleet-simulation.js';

/**
 * Faults injected into the simulated fleet (emulator control), as the app hands them to AdvanceFleet. The domain
 * draws no randomness of its own: `draw` is the app's seeded source, so a decision is a function of the state, the
 * command and the numbers drawn. A number is drawn only for a rule that matches and has a rate above 0, rule by
 * rule in the given order, stopping at the first that fails the attempt: a rule that matches nothing leaves the
 * outcomes of the others as they were.
 */
export interface FleetFaults {
  readonly rules: readonly FaultRule[];
  /** Container images of daemon task definitions, by ARN: what a rule's image is matched against. */
  readonly images: ReadonlyMap<string, readonly string[]>;
  /** A uniform number in [0, 1). */
  draw(): number;
}

/** The rule, if any, that makes this daemon task fail to reach RUNNING now. */
export function taskStartFault(faults: FleetFaults | undefined, daemon: PlannedDaemonTask): FaultRule | undefined {
  return firstHit(faults, [daemon], (rule) => rule.daemonTaskStartFailureRate);
}

/** The rule, if any, that makes an instance's provisioning fail now: a rule on an image hits the instances launched to run it. */
export function provisioningFault(faults: FleetFaults | undefined, daemons: readonly PlannedDaemonTask[]): FaultRule | undefined {
  return firstHit(faults, daemons, (rule) => rule.instanceProvisioningFailureRate);
}

function firstHit(faults: FleetFaults | undefined, daemons: readonly PlannedDaemonTask[], rateOf: (rule: FaultRule) => number): FaultRule | undefined {
  if (!faults || faults.rules.length === 0) return undefined;
  const images = new Set(daemons.flatMap((daemon) => faults.images.get(daemon.daemonTaskDefinitionArn) ?? []));
  for (const rule of faults.rules) {
    const rate = rateOf(rule);
    if (rate > 0 && images.has(rule.image) && faults.draw() < rate) return rule;
  }
  return undefined;
}

/**
 * When a failed attempt (`attempt` 1 for the first failure on the instance) is tried again: exponential backoff in
 * simulated time, capped. Invariant: always later than `now`, even with zero durations, so a step whose attempts
 * keep failing still reaches a point where nothing is due.
 */
export function retryAt(timings: FleetTimings, attempt: number, now: EpochMillis): EpochMillis {
  // The exponent is bounded so that a long run of failures stays a finite number (0 × ∞ would be NaN).
  const delay = Math.min(timings.retryBackoffMaxMs, timings.retryBackoffMs * 2 ** Math.min(attempt - 1, 40));
  return now + Math.max(1, Math.round(delay));
}

/** The task never reached RUNNING (spec 3.8, TASK_FAILED_TO_RUN): its next attempt on this instance comes at `retryAt`. */
export function taskFailedToStart(instanceId: string, task: DaemonTaskState, rule: FaultRule, timings: FleetTimings, now: EpochMillis): DaemonTaskFailedToStart {
  const attempt = task.failedAttempts + 1;
  return {
    type: 'DaemonTaskFailedToStart',
    data: {
      instanceId,
      taskArn: task.taskArn,
      daemon: task.daemon,
      failureType: 'TASK_FAILED_TO_RUN',
      reason: `Essential container in task exited: image ${rule.image} failed to start (fault injected by rule ${rule.faultId})`,
      attempt,
      failedAt: now,
      retryAt: retryAt(timings, attempt, now),
    },
  };
}

/** The instance did not come up: registration is tried again at `retryAt`. */
export function provisioningFailed(instance: InstanceState, rule: FaultRule, timings: FleetTimings, now: EpochMillis): InstanceProvisioningFailed {
  const attempt = instance.provisioningFailures + 1;
  return {
    type: 'InstanceProvisioningFailed',
    data: {
      instanceId: instance.instanceId,
      reason: `Instance launch failed: the instance for image ${rule.image} could not be provisioned (fault injected by rule ${rule.faultId})`,
      attempt,
      failedAt: now,
      retryAt: retryAt(timings, attempt, now),
    },
  };
}
