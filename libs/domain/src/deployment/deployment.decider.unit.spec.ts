import type { CapacityProviderInstanceCounts, DeploymentEvent, PlannedDaemonTask, RevisionInstanceCounts } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, it } from 'vitest';
import { deploymentDecider, type ReconcileDeployment, type StopDeployment } from './deployment.decider.js';
import { supersededStatusReason } from './deployment-status-reasons.js';
import { created, daemonArn, deploymentId, otherDaemonArn, planned, providerArn, revisionArn, target, taskDefinitionArn } from './testing/rollout-harness.js';
import { SimulatedFleet } from './testing/simulated-fleet.js';
import type { AlarmView } from './observations.js';

const given = DeciderSpecification.for(deploymentDecider);

describe('daemon deployment', () => {
  it('opens its stream once', () => given([]).when({ type: 'CreateDeployment', data: created() }).then([createdEvent()]));

  it('ignores a repeated creation', () => given([createdEvent()]).when({ type: 'CreateDeployment', data: created() }).thenNothingHappened());

  describe('PENDING → IN_PROGRESS', () => {
    it('on a provider with no instances starts with zero counts and succeeds at once, bake time or not (decision 5)', () => {
      const fleet = world();
      return given([createdEvent({}, 25, 5)])
        .when(observe(fleet, { bakeDurationMs: 500 }))
        .then([started({ n: 0, batch: 1, counts: [targetCounts()] }), succeeded([targetCounts()])]);
    });

    it('fixes N, the batch size and the breaker threshold from the instances in scope, and requests the first batch', () => {
      const fleet = world();
      const ids = [1, 2, 3, 4, 5].map(() => active(fleet, mi));
      return given([createdEvent()])
        .when(observe(fleet))
        .then([started({ n: 5, batch: 2, counts: [targetCounts()] }), requested(1, ids.slice(0, 2))]);
    });

    it('counts the instances already running a revision of the daemon', () => {
      const fleet = world();
      const id = active(fleet, mi, [planned(oldRevision)]);
      return given([createdEvent()])
        .when(observe(fleet))
        .then([started({ n: 1, batch: 1, counts: [targetCounts(), counts(oldRevision.arn, mi, { running: 1 })] }), requested(1, [id])]);
    });

    it('adopts instances whose task matches the target, whatever its revision, instead of cycling them (decision 12)', () => {
      const fleet = world();
      const matchingId = active(fleet, mi, [planned(matching)]);
      const oldId = active(fleet, mi, [planned(oldRevision)]);
      return given([createdEvent()])
        .when(observe(fleet))
        .then([
          started({ n: 1, batch: 1, counts: [targetCounts(), counts(matching.arn, mi, { running: 1 }), counts(oldRevision.arn, mi, { running: 1 })] }),
          adopted([matchingId]),
          requested(1, [oldId]),
        ]);
    });

    it('does not adopt a task whose critical flag differs from the target', () => {
      const fleet = world();
      const id = active(fleet, mi, [planned({ ...matching, critical: false })]);
      return given([createdEvent()])
        .when(observe(fleet))
        .then([started({ n: 1, batch: 1, counts: [targetCounts(), counts(matching.arn, mi, { running: 1 })] }), requested(1, [id])]);
    });

    it('leaves out instances already on the target, and those of other providers without the daemon', () => {
      const fleet = world();
      active(fleet, mi, [planned(target())]);
      active(fleet, mi2, [planned(oldRevision, otherDaemonArn)]);
      const onTarget = [counts(target().arn, mi, { running: 1 })];
      return given([createdEvent()])
        .when(observe(fleet))
        .then([started({ n: 0, batch: 1, counts: onTarget }), succeeded(onTarget)]);
    });

    it('takes in the instances of a provider removed from the daemon that still run it, to replace them without it (decision 13)', () => {
      const fleet = world();
      const id = active(fleet, removed, [planned(oldRevision)]);
      return given([createdEvent()])
        .when(observe(fleet))
        .then([started({ n: 1, batch: 1, counts: [targetCounts(), counts(oldRevision.arn, removed, { running: 1 })] }), requested(1, [id], removed)]);
    });

    it('neither picks nor counts an instance draining for a superseded deployment, and waits for its replacement', () => {
      const fleet = world();
      const drained = active(fleet, mi, [planned(oldRevision)]);
      fleet.drain(fleet.instance(drained)!, 'Superseded0000000', 4, daemonArn, planned(oldRevision));
      return given([createdEvent()])
        .when(observe(fleet))
        .then([started({ n: 1, batch: 1, counts: [targetCounts(), counts(oldRevision.arn, mi, { running: 1 })] })]);
    });

    it('records the monitored alarms and ignores those already in ALARM', () =>
      given([createdEvent({ deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { enable: true, alarmNames: ['cpu', 'errors'] } } })])
        .when(observe(world(), { alarms: { cpu: { state: 'ALARM', timesInAlarm: 2 }, errors: { state: 'OK', timesInAlarm: 1 } } }))
        .then([
          started({ n: 0, batch: 1, counts: [targetCounts()], monitoredAlarmNames: ['cpu', 'errors'], alarmsInAlarmAtStart: ['cpu'], timesInAlarmAtStart: { cpu: 2 } }),
          succeeded([targetCounts()]),
        ]));
  });

  describe('IN_PROGRESS: batches', () => {
    it('waits while the batch drains and its replacements come up', () => {
      const fleet = world();
      const a = active(fleet, mi);
      active(fleet, mi);
      fleet.drain(fleet.instance(a)!, deploymentId, 3, daemonArn, planned(target()));
      return given([createdEvent(), started({ n: 2, batch: 1 }), requested(1, [a])]).when(observe(fleet)).thenNothingHappened();
    });

    it('closes the batch once every member is gone and its replacement runs the target, and opens the next at once', () => {
      const fleet = world();
      const [a, b] = [active(fleet, mi), active(fleet, mi)];
      const replacement = replace(fleet, a, planned(target()));
      return given([createdEvent(), started({ n: 2, batch: 1 }), requested(1, [a])])
        .when(observe(fleet))
        .then([replaced(1, [[a, replacement]]), requested(2, [b])]);
    });

    it('starts the bake after the last batch (decision 4)', () => {
      const fleet = world();
      const a = active(fleet, mi);
      const replacement = replace(fleet, a, planned(target()));
      return given([createdEvent({}, 25, 5), started({ n: 1, batch: 1 }), requested(1, [a])])
        .when(observe(fleet, { bakeDurationMs: 500 }))
        .then([replaced(1, [[a, replacement]]), { type: 'DeploymentBakeStarted', data: { bakeStartedAt: now, bakeEndsAt: now + 500 } }]);
    });

    it('succeeds after the last batch when there is no bake time, with the counts it ends with', () => {
      const fleet = world();
      const a = active(fleet, mi);
      const replacement = replace(fleet, a, planned(target()));
      return given([createdEvent(), started({ n: 1, batch: 1 }), requested(1, [a])])
        .when(observe(fleet))
        .then([replaced(1, [[a, replacement]]), succeeded([counts(target().arn, mi, { running: 1 })])]);
    });

    it('releases a member that another deployment drained, and takes its replacement into scope', () => {
      const fleet = world();
      const a = active(fleet, mi, [planned(oldRevision)]);
      const elsewhere = fleet.drain(fleet.instance(a)!, 'Superseded0000000', 4, daemonArn, planned(oldRevision));
      fleet.settle(elsewhere);
      fleet.settle(a);
      return given([createdEvent(), started({ n: 1, batch: 1 }), requested(1, [a])])
        .when(observe(fleet))
        .then([replaced(1, []), requested(2, [elsewhere])]);
    });

    it('replaces the instances of a removed provider by ACTIVE instances without the daemon', () => {
      const fleet = world();
      const a = active(fleet, removed, [planned(oldRevision)]);
      const replacement = replace(fleet, a, null);
      return given([createdEvent(), started({ n: 1, batch: 1 }), requested(1, [a], removed)])
        .when(observe(fleet))
        .then([replaced(1, [[a, replacement]], removed), succeeded([targetCounts()])]);
    });

    it('does not adopt twice, and waits for the fleet to relabel what it adopted', () => {
      const fleet = world();
      const a = active(fleet, mi, [planned(matching)]);
      return given([createdEvent(), started({ n: 0, batch: 1 }), adopted([a])]).when(observe(fleet)).thenNothingHappened();
    });

    it('succeeds once the fleet relabelled the adopted tasks', () => {
      const fleet = world();
      const a = active(fleet, mi, [planned(matching)]);
      fleet.handle({ type: 'AdoptDaemonTasks', data: { deploymentId, capacityProviderArn: mi, daemonArn, instanceIds: [a], toRevisionArn: target().arn } }, 3);
      return given([createdEvent(), started({ n: 0, batch: 1 }), adopted([a])])
        .when(observe(fleet))
        .then([succeeded([counts(target().arn, mi, { running: 1 })])]);
    });

    it('rolls a delete deployment over every instance running the daemon, to replacements without it (decision 7)', () => {
      const fleet = world();
      const a = active(fleet, mi, [planned(oldRevision)]);
      active(fleet, mi2);
      return given([createdEvent({ targetRevision: null })])
        .when(observe(fleet))
        .then([started({ n: 1, batch: 1, counts: [counts(oldRevision.arn, mi, { running: 1 })] }), requested(1, [a])]);
    });

    it('ends a delete deployment when no instance runs the daemon any more', () => {
      const fleet = world();
      const a = active(fleet, mi, [planned(oldRevision)]);
      const replacement = replace(fleet, a, null);
      return given([createdEvent({ targetRevision: null }), started({ n: 1, batch: 1 }), requested(1, [a])])
        .when(observe(fleet))
        .then([replaced(1, [[a, replacement]]), succeeded([])]);
    });
  });

  describe('IN_PROGRESS: bake', () => {
    const baking: DeploymentEvent[] = [createdEvent({}, 25, 5), started({ n: 0, batch: 1 }), { type: 'DeploymentBakeStarted', data: { bakeStartedAt: now, bakeEndsAt: now + 500 } }];

    it('keeps baking until the bake ends', () => given(baking).when(observe(world(), { now: now + 499 })).thenNothingHappened());

    it('succeeds when the bake ends', () =>
      given(baking)
        .when(observe(world(), { now: now + 500 }))
        .then([{ type: 'DeploymentSucceeded', data: { finishedAt: now + 500, finalCounts: [targetCounts()] } }]));
  });

  describe('superseded (spec 2.6, 3.3)', () => {
    it('stops a PENDING deployment, with the counts it leaves', () =>
      given([createdEvent()]).when(stop()).then([stopped([targetCounts()])]));

    it('stops an IN_PROGRESS deployment', () => given([createdEvent(), started({ n: 1, batch: 1 }), requested(1, ['i-00000000000000001'])]).when(stop()).then([stopped([targetCounts()])]));

    it('does nothing to a finished deployment', () => given([createdEvent(), started({ n: 0, batch: 1 }), succeeded([])]).when(stop()).thenNothingHappened());

    it('does nothing to a deployment stopped already', () => given([createdEvent(), stopped([])]).when(stop()).thenNothingHappened());

    it('decides nothing more once stopped', () => given([createdEvent(), stopped([])]).when(observe(world())).thenNothingHappened());
  });
});

// Fixtures last, so the scenarios read first. Fixed ids and a fixed instant: no randomness.
const now = 1_742_040_000_000;
const mi = providerArn('mi');
const mi2 = providerArn('mi2');
const removed = providerArn('removed');
const oldRevision = { arn: revisionArn('old'), daemonTaskDefinitionArn: taskDefinitionArn(1), critical: true };
const matching = { arn: revisionArn('matching'), daemonTaskDefinitionArn: target().daemonTaskDefinitionArn, critical: true };

function world(): SimulatedFleet {
  const fleet = new SimulatedFleet([mi, mi2, removed]);
  fleet.now = now;
  return fleet;
}
function active(fleet: SimulatedFleet, provider: string, daemons: PlannedDaemonTask[] = []): string {
  const id = fleet.provision(provider, daemons);
  fleet.settle(id);
  return id;
}
/** Drains the instance for this deployment and lets the fleet finish: the replacement up, the instance gone. */
function replace(fleet: SimulatedFleet, instanceId: string, replacementDaemon: PlannedDaemonTask | null): string {
  const replacement = fleet.drain(fleet.instance(instanceId)!, deploymentId, 3, daemonArn, replacementDaemon);
  fleet.settle(replacement);
  fleet.settle(instanceId);
  return replacement;
}
const observe = (fleet: SimulatedFleet, { now: at = now, bakeDurationMs = 0, alarms = {} as AlarmView } = {}): ReconcileDeployment => ({
  type: 'ReconcileDeployment',
  data: { now: at, fleets: [...fleet.fleets.values()], alarms, bakeDurationMs, failedStarts: {}, previousRevision: null },
});
const stop = (): StopDeployment => ({ type: 'StopDeployment', data: { reason: 'SUPERSEDED', supersededBy: 'arn:newer', now, fleets: [...world().fleets.values()] } });

const createdEvent = (...args: Parameters<typeof created>): DeploymentEvent => ({ type: 'DeploymentCreated', data: created(...args) });
const zero = (capacityProviderArn: string): CapacityProviderInstanceCounts => ({ capacityProviderArn, running: 0, withoutDaemon: 0, draining: 0 });
const targetCounts = (): RevisionInstanceCounts => ({ revisionArn: target().arn, capacityProviders: [zero(mi)] });
const counts = (revision: string, provider: string, values: Partial<CapacityProviderInstanceCounts>): RevisionInstanceCounts => ({
  revisionArn: revision,
  capacityProviders: [{ ...zero(provider), ...values }],
});
const started = ({ n, batch, counts: revisionCounts = [], monitoredAlarmNames = [], alarmsInAlarmAtStart = [], timesInAlarmAtStart = {} }: {
  n: number;
  batch: number;
  counts?: RevisionInstanceCounts[];
  monitoredAlarmNames?: string[];
  alarmsInAlarmAtStart?: string[];
  timesInAlarmAtStart?: Record<string, number>;
}): DeploymentEvent => ({
  type: 'DeploymentStarted',
  data: { startedAt: now, instancesInScope: n, batchSize: batch, circuitBreakerThreshold: 10, monitoredAlarmNames, alarmsInAlarmAtStart, timesInAlarmAtStart, revisionCounts },
});
const inScope = (ids: string[], capacityProviderArn: string) => ids.map((instanceId) => ({ instanceId, capacityProviderArn }));
const requested = (batch: number, ids: string[], provider = mi): DeploymentEvent => ({
  type: 'InstanceDrainsRequested',
  data: { batch, instances: inScope(ids, provider), requestedAt: now },
});
const replaced = (batch: number, pairs: [string, string][], provider = mi): DeploymentEvent => ({
  type: 'InstancesReplaced',
  data: { batch, instances: pairs.map(([instanceId, replacementInstanceId]) => ({ instanceId, capacityProviderArn: provider, replacementInstanceId })), replacedAt: now },
});
const adopted = (ids: string[]): DeploymentEvent => ({ type: 'DaemonTasksAdopted', data: { instances: inScope(ids, mi), adoptedAt: now } });
const succeeded = (finalCounts: RevisionInstanceCounts[]): DeploymentEvent => ({ type: 'DeploymentSucceeded', data: { finishedAt: now, finalCounts } });
const stopped = (finalCounts: RevisionInstanceCounts[]): DeploymentEvent => ({
  type: 'DeploymentStopped',
  data: { stoppedAt: now, reason: 'SUPERSEDED', statusReason: supersededStatusReason('arn:newer'), finalCounts },
});
