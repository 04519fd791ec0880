import type { CapacityProviderEvent, PlannedDaemonTask } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { InvalidParameter, StaleFencingToken } from '../shared/domain-errors.js';
import { nextDueTime, type AdvanceFleet } from './advance-fleet.js';
import { capacityProviderDecider, type CapacityProviderCommand } from './capacity-provider.decider.js';
import type { ActiveCapacityProvider } from './capacity-provider.state.js';
import type { FleetTimings } from './fleet-simulation.js';
import { adoptedFor, drainingFor, type AdoptDaemonTasks, type StartInstanceDrains } from './instance-drains.js';
import {
  activated,
  activeInstance,
  adopted,
  appPlaced,
  appStarted,
  appStarting,
  appStopped,
  daemon,
  daemonStarted,
  deregistered,
  drainStarted,
  fenceAdvanced,
  instanceId,
  launched,
  placed,
  providerCreated,
  provisioned,
  registered,
  sequentialIds,
  t0,
  timings,
  zeroTimings,
} from './testing/fleet-fixtures.js';

const given = DeciderSpecification.for(capacityProviderDecider);
const deploymentId = 'aB1cD2eF3gH4iJ5k';
const agentV1 = daemon('agent', 1);
const agentV2 = daemon('agent', 2);
const logs = daemon('logs', 1, { critical: false });
const placements = [placed(agentV1), placed(logs)];
const later = t0 + 1_000;

describe('StartInstanceDrains', () => {
  const fleet = [providerCreated, ...activeInstance(1, [agentV1, logs], { appTask: 20 }), ...activeInstance(2, [agentV1, logs])];

  it('drains each instance and provisions its replacement, with the target revision instead of the source', () =>
    given(fleet)
      .when(drain([1, 2]))
      .then([
        drainStarted(1, 0x100, later),
        provisioned(0x100, { daemons: [logs, agentV2], at: later, reason: 'REPLACEMENT', replaces: 1, deploymentId }),
        drainStarted(2, 0x101, later),
        provisioned(0x101, { daemons: [logs, agentV2], at: later, reason: 'REPLACEMENT', replaces: 2, deploymentId }),
      ]));

  it('replaces without the daemon for a delete deployment', () =>
    given(fleet)
      .when(drain([1], { replacementDaemon: null }))
      .then([drainStarted(1, 0x100, later), provisioned(0x100, { daemons: [logs], at: later, reason: 'REPLACEMENT', replaces: 1, deploymentId })]));

  it('drains a registering instance too', () =>
    given([providerCreated, provisioned(1, { daemons: [agentV1] })])
      .when(drain([1]))
      .then([drainStarted(1, 0x100, later), provisioned(0x100, { daemons: [logs, agentV2], at: later, reason: 'REPLACEMENT', replaces: 1, deploymentId })]));

  it('is idempotent per instance: one already draining, unknown or named twice is drained once', () => {
    given([...fleet, drainStarted(1, 9, t0), provisioned(9, { reason: 'REPLACEMENT', replaces: 1, deploymentId })])
      .when(drain([1, 1, 7, 2, 2]))
      .then([drainStarted(2, 0x100, later), provisioned(0x100, { daemons: [logs, agentV2], at: later, reason: 'REPLACEMENT', replaces: 2, deploymentId })]);
    // Drained by another deployment: nothing to drain, but the first command of this one still records its fence.
    given([...fleet, drainStarted(1, 9, t0, { deploymentId: 'zZ9yY8xX7wW6vV5u', fence: 1 })]).when(drain([1])).then([fenceAdvanced(3, later)]);
  });

  it('refuses a fence older than one the provider saw for the deployment, and takes an equal one', () => {
    const drained = [...fleet, drainStarted(1, 9, t0, { fence: 3 })];
    given(drained).when(drain([2], { fence: 2 })).thenThrows(StaleFencingToken, (error) => expect(error.details).toEqual({ deploymentId, fence: 2, seen: 3 }));
    given(drained).when(drain([1], { fence: 3 })).thenNothingHappened();
  });

  it('refuses a replacement task of another daemon', () =>
    given(fleet).when(drain([1], { replacementDaemon: logs })).thenThrows(InvalidParameter));

  it('answers with the named instances draining for the deployment', () => {
    const state = fold(capacityProviderDecider, [...fleet, drainStarted(1, 9, t0), drainStarted(2, 8, t0, { deploymentId: 'zZ9yY8xX7wW6vV5u' })]) as ActiveCapacityProvider;
    expect(drainingFor(state.fleet, deploymentId, [instanceId(1), instanceId(2), instanceId(3)])).toEqual([instanceId(1)]);
  });
});

describe('a drained instance’s application tasks move to its replacement (spec 3.2)', () => {
  const registersAt = later + timings.instanceProvisioningMs;
  const runsAt = registersAt + timings.daemonTaskStartMs;
  const draining = [
    providerCreated,
    ...activeInstance(1, [agentV1], { appTask: 20 }),
    drainStarted(1, 2, later),
    provisioned(2, { daemons: [agentV2], at: later, reason: 'REPLACEMENT', replaces: 1, deploymentId }),
  ];

  it('keeps the task where it runs until the replacement is ACTIVE, then places it there', () => {
    given(draining).when(advance(registersAt)).then([registered(2, registersAt), launched(2, 0x100, agentV2, registersAt, runsAt)]);
    given([...draining, registered(2, registersAt), launched(2, 30, agentV2, registersAt, runsAt)])
      .when(advance(runsAt))
      .then([daemonStarted(2, 30, agentV2, runsAt), activated(2, runsAt), appPlaced(2, 0x100, runsAt, { replaces: [1, 20] }), appStarting(2, 0x100, runsAt, runsAt + 10_000)]);
  });

  it('stops the old task only once the new one runs, then deregisters the empty instance', () => {
    const moving = [
      ...draining,
      registered(2, registersAt),
      launched(2, 30, agentV2, registersAt, runsAt),
      daemonStarted(2, 30, agentV2, runsAt),
      activated(2, runsAt),
      appPlaced(2, 31, runsAt, { replaces: [1, 20] }),
      appStarting(2, 31, runsAt, runsAt + 10_000),
    ];
    given(moving).when(advance(runsAt + 9_999)).thenNothingHappened();
    given(moving)
      .when(advance(runsAt + 10_000))
      .then([appStarted(2, 31, runsAt + 10_000), appStopped(1, 20, runsAt + 10_000, 'INSTANCE_DRAINED'), deregistered(1, runsAt + 10_000)]);
  });

  it('lets the old task drain connections for the drain time after its replacement runs, then stops it', () => {
    const withDrain = { ...timings, drainMs: 30_000 };
    const replacementRuns = [
      ...draining,
      registered(2, registersAt),
      launched(2, 30, agentV2, registersAt, runsAt),
      daemonStarted(2, 30, agentV2, runsAt),
      activated(2, runsAt),
      appPlaced(2, 31, runsAt, { replaces: [1, 20] }),
      appStarting(2, 31, runsAt, runsAt + 10_000),
      appStarted(2, 31, runsAt + 10_000),
    ];
    const drained = runsAt + 10_000 + 30_000;
    expect(nextDueTime(fold(capacityProviderDecider, replacementRuns), withDrain.drainMs)).toBe(drained);
    given(replacementRuns).when(advance(drained - 1, withDrain)).thenNothingHappened();
    given(replacementRuns).when(advance(drained, withDrain)).then([appStopped(1, 20, drained, 'INSTANCE_DRAINED'), deregistered(1, drained)]);
  });

  it('with zero durations, replaces in one step', () =>
    given([...draining.slice(0, -1), provisioned(2, { daemons: [agentV2], at: later, registersAt: later, reason: 'REPLACEMENT', replaces: 1, deploymentId })])
      .when(advance(later, zeroTimings))
      .then([
        registered(2, later),
        launched(2, 0x100, agentV2, later, later),
        daemonStarted(2, 0x100, agentV2, later),
        activated(2, later),
        appPlaced(2, 0x101, later, { replaces: [1, 20] }),
        appStarting(2, 0x101, later, later),
        appStarted(2, 0x101, later),
        appStopped(1, 20, later, 'INSTANCE_DRAINED'),
        deregistered(1, later),
      ]));

  it('deregisters a drained instance with no application task at once', () =>
    given([providerCreated, ...activeInstance(1, [agentV1]), drainStarted(1, 2, later), provisioned(2, { at: later, reason: 'REPLACEMENT', replaces: 1, deploymentId })])
      .when(advance(later))
      .then([deregistered(1, later)]));

  it('follows a chain of replacements: a replacement drained while registering passes the tasks on, and leaves last', () => {
    const chained = [
      providerCreated,
      ...activeInstance(1, [], { appTask: 20 }),
      drainStarted(1, 2, t0),
      provisioned(2, { registersAt: t0, reason: 'REPLACEMENT', replaces: 1, deploymentId }),
      drainStarted(2, 3, t0, { deploymentId: 'zZ9yY8xX7wW6vV5u' }),
      provisioned(3, { registersAt: t0, reason: 'REPLACEMENT', replaces: 2, deploymentId: 'zZ9yY8xX7wW6vV5u' }),
    ];
    given(chained)
      .when(advance(t0, zeroTimings))
      .then([
        registered(2, t0),
        registered(3, t0),
        activated(3, t0),
        appPlaced(3, 0x100, t0, { replaces: [1, 20] }),
        appStarting(3, 0x100, t0, t0),
        appStarted(3, 0x100, t0),
        appStopped(1, 20, t0, 'INSTANCE_DRAINED'),
        deregistered(1, t0),
        deregistered(2, t0),
      ]);
  });

  it('when the replacement drains in turn before its moved task runs, the first task waits for the next replacement', () => {
    const relayed = [
      providerCreated,
      ...activeInstance(1, [], { appTask: 20 }),
      drainStarted(1, 2, t0),
      ...activeInstance(2).map((event) => (event.type === 'InstanceProvisioningStarted' ? provisioned(2, { registersAt: t0, reason: 'REPLACEMENT', replaces: 1, deploymentId }) : event)),
      appPlaced(2, 21, t0, { replaces: [1, 20] }),
      drainStarted(2, 3, t0, { deploymentId: 'zZ9yY8xX7wW6vV5u' }),
      provisioned(3, { registersAt: t0, reason: 'REPLACEMENT', replaces: 2, deploymentId: 'zZ9yY8xX7wW6vV5u' }),
    ];
    given(relayed)
      .when(advance(t0, zeroTimings))
      .then([
        registered(3, t0),
        activated(3, t0),
        appPlaced(3, 0x100, t0, { replaces: [2, 21] }),
        appStarting(3, 0x100, t0, t0),
        appStarted(3, 0x100, t0),
        appStopped(2, 21, t0, 'INSTANCE_DRAINED'),
        appStopped(1, 20, t0, 'INSTANCE_DRAINED'),
        deregistered(1, t0),
        deregistered(2, t0),
      ]);
  });
});

describe('AdoptDaemonTasks (decision 12)', () => {
  const fleet = [providerCreated, ...activeInstance(1, [agentV1]), ...activeInstance(2, [agentV1]), ...activeInstance(3, [logs])];

  it('relabels the daemon’s task of each named instance for the target revision, recording the fence on each', () =>
    given(fleet)
      .when(adopt([1, 2, 3, 4]))
      .then([adopted(1, 100, agentV1, agentV2, later), adopted(2, 200, agentV1, agentV2, later)]));

  it('is idempotent: a task that already counts for the target is left alone', () => {
    const adopted = capacityProviderDecider.decide(adopt([1]), fold(capacityProviderDecider, fleet));
    given([...fleet, ...adopted]).when(adopt([1])).thenNothingHappened();
    const state = fold(capacityProviderDecider, [...fleet, ...adopted]) as ActiveCapacityProvider;
    expect(adoptedFor(state.fleet, agentV1.daemonArn, agentV2.daemonRevisionArn, [instanceId(1), instanceId(2)])).toEqual([instanceId(1)]);
  });

  it('refuses a stale fence', () => given([...fleet, drainStarted(3, 9, t0, { fence: 5 })]).when(adopt([1], 4)).thenThrows(StaleFencingToken));
});

describe('the fence of a deployment at the fleet only moves forward; any command with a lower fence is refused', () => {
  const fleet = [providerCreated, ...activeInstance(1, [agentV1]), ...activeInstance(2, [agentV1]), ...activeInstance(3, [agentV1])];
  const refusedAt = (seen: number) => (error: StaleFencingToken) => expect(error.details).toEqual({ deploymentId, fence: 5, seen });

  it('after an adoption at fence 7, refuses a drain at fence 5', () => {
    given(fleet).when(adopt([1], 7)).then([adopted(1, 100, agentV1, agentV2, later, { fence: 7 })]);
    given([...fleet, adopted(1, 100, agentV1, agentV2, later, { fence: 7 })])
      .when(drain([2], { fence: 5 }))
      .thenThrows(StaleFencingToken, refusedAt(7));
  });

  it('after a repeated drain at fence 7 that drains nothing new, refuses a drain at fence 5', () => {
    const drained = [...fleet, drainStarted(1, 9, t0, { fence: 3 })];
    given(drained).when(drain([1], { fence: 7 })).then([fenceAdvanced(7, later)]);
    given([...drained, fenceAdvanced(7, later)]).when(drain([2], { fence: 5 })).thenThrows(StaleFencingToken, refusedAt(7));
    given([...drained, fenceAdvanced(7, later)]).when(adopt([3], 5)).thenThrows(StaleFencingToken, refusedAt(7));
  });

  it('after an adoption at fence 7 that adopts nothing new, refuses a drain at fence 5', () => {
    const adoptedAt6 = [...fleet, adopted(1, 100, agentV1, agentV2, t0, { fence: 6 })];
    given(adoptedAt6).when(adopt([1, 0x7f], 7)).then([fenceAdvanced(7, later)]);
    given([...adoptedAt6, fenceAdvanced(7, later)]).when(drain([2], { fence: 5 })).thenThrows(StaleFencingToken, refusedAt(7));
  });

  it('records nothing for a command that changes nothing at the fence already seen, or records it on its drains', () => {
    given([...fleet, fenceAdvanced(7, t0)]).when(adopt([1, 2], 7)).then([adopted(1, 100, agentV1, agentV2, later, { fence: 7 }), adopted(2, 200, agentV1, agentV2, later, { fence: 7 })]);
    given([...fleet, drainStarted(1, 9, t0, { fence: 7 })]).when(drain([1], { fence: 7 })).thenNothingHappened();
    given([...fleet, fenceAdvanced(7, t0)]).when(adopt([0x7f], 7)).thenNothingHappened();
  });

  it('folds only forward, and an adoption stored before adoptions carried a fence records none', () => {
    const { data: withFence } = adopted(2, 200, agentV1, agentV2, t0, { fence: 4 }) as Extract<CapacityProviderEvent, { type: 'DaemonTaskAdopted' }>;
    const { fence: _none, ...unfenced } = withFence;
    const state = fold(capacityProviderDecider, [...fleet, fenceAdvanced(7, t0), adopted(1, 100, agentV1, agentV2, t0, { fence: 6 }), drainStarted(3, 9, t0, { fence: 5 })]);
    expect((state as ActiveCapacityProvider).fleet.fences).toEqual(new Map([[deploymentId, 7]]));
    const old = fold(capacityProviderDecider, [...fleet, { type: 'DaemonTaskAdopted', data: unfenced }]) as ActiveCapacityProvider;
    expect(old.fleet.fences).toEqual(new Map());
  });
});

function drain(instances: number[], overrides: { replacementDaemon?: PlannedDaemonTask | null; fence?: number } = {}): StartInstanceDrains {
  return {
    type: 'StartInstanceDrains',
    data: {
      capacityProvider: 'mi',
      deploymentId,
      fence: overrides.fence ?? 3,
      daemonArn: agentV1.daemonArn,
      replacementDaemon: overrides.replacementDaemon === undefined ? agentV2 : overrides.replacementDaemon,
      instanceIds: instances.map(instanceId),
      placements,
      timings,
      now: later,
      ids: sequentialIds(),
    },
  };
}

function adopt(instances: number[], fence = 5): AdoptDaemonTasks {
  return {
    type: 'AdoptDaemonTasks',
    data: { capacityProvider: 'mi', deploymentId, fence, daemonArn: agentV1.daemonArn, toRevisionArn: agentV2.daemonRevisionArn, instanceIds: instances.map(instanceId), now: later },
  };
}

function advance(now: number, durations: FleetTimings = timings): CapacityProviderCommand {
  const command: AdvanceFleet = { type: 'AdvanceFleet', data: { now, timings: durations, ids: sequentialIds() } };
  return command;
}
