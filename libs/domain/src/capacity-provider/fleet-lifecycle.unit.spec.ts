import type { CapacityProviderEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { CapacityProviderNotFound, CapacityProviderNotManagedInstances } from '../shared/domain-errors.js';
import { nextDueTime, type AdvanceFleet } from './advance-fleet.js';
import type { AddInstances } from './add-instances.js';
import { capacityProviderDecider } from './capacity-provider.decider.js';
import type { FleetIds, FleetTimings } from './fleet-simulation.js';
import {
  activated,
  appPlaced,
  appStarted,
  appStarting,
  daemon,
  daemonStarted,
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
const agent = daemon('agent', 1);
const logs = daemon('logs', 1, { critical: false });
const elsewhere = placed(daemon('other', 1), ['arn:aws:ecs:us-east-1:123456789012:capacity-provider/other']);

describe('AddInstances (the emulator control)', () => {
  it('provisions instances that will launch every daemon placed on the provider, and only those', () =>
    given([providerCreated])
      .when(addInstances(2, [placed(agent), elsewhere, placed(logs)]))
      .then([
        provisioned(0x100, { daemons: [agent, logs], at: t0 }),
        provisioned(0x101, { daemons: [agent, logs], at: t0 }),
      ]));

  it('refuses a provider that does not exist', () => given([]).when(addInstances(1)).thenThrows(CapacityProviderNotFound));

  it('refuses an Auto Scaling group provider: only Managed Instances providers have instances here', () =>
    given([{ ...providerCreated, data: { ...providerCreated.data, type: 'EC2_AUTOSCALING', clusterName: null } } as CapacityProviderEvent])
      .when(addInstances(1))
      .thenThrows(CapacityProviderNotManagedInstances));
});

describe('AdvanceFleet: the instance lifecycle', () => {
  const registering = [providerCreated, provisioned(1, { daemons: [agent, logs] })];
  const registersAt = t0 + timings.instanceProvisioningMs;
  const runsAt = registersAt + timings.daemonTaskStartMs;

  it('does nothing before anything is due', () => given(registering).when(advance(registersAt - 1)).thenNothingHappened());

  it('registers the instance when provisioning is done, and launches its daemon tasks first (spec 3.9)', () =>
    given(registering)
      .when(advance(registersAt))
      .then([registered(1, registersAt), launched(1, 0x100, agent, registersAt, runsAt), launched(1, 0x101, logs, registersAt, runsAt)]));

  it('activates the instance once every daemon task runs', () =>
    given([...registering, registered(1, registersAt), launched(1, 10, agent, registersAt, runsAt), launched(1, 11, logs, registersAt, runsAt)])
      .when(advance(runsAt))
      .then([daemonStarted(1, 10, agent, runsAt), daemonStarted(1, 11, logs, runsAt), activated(1, runsAt)]));

  it('keeps the instance registering while a daemon task is pending, critical or not (spec 3.9: all daemons first)', () => {
    given([...registering, registered(1, registersAt), launched(1, 10, agent, registersAt, runsAt + 1), launched(1, 11, logs, registersAt, runsAt)])
      .when(advance(runsAt))
      .then([daemonStarted(1, 11, logs, runsAt)]);
    given([...registering, registered(1, registersAt), launched(1, 10, agent, registersAt, runsAt), launched(1, 11, logs, registersAt, runsAt + 1)])
      .when(advance(runsAt))
      .then([daemonStarted(1, 10, agent, runsAt)]);
  });

  it('holds an application task in PROVISIONING until the instance is ACTIVE, then starts it', () => {
    const withTask = [providerCreated, provisioned(1, { daemons: [agent] }), appPlaced(1, 20, t0)];
    given(withTask).when(advance(registersAt)).then([registered(1, registersAt), launched(1, 0x100, agent, registersAt, runsAt)]);
    given([...withTask, registered(1, registersAt), launched(1, 10, agent, registersAt, runsAt)])
      .when(advance(runsAt))
      .then([daemonStarted(1, 10, agent, runsAt), activated(1, runsAt), appStarting(1, 20, runsAt, runsAt + timings.appTaskStartMs)]);
    given([...withTask, registered(1, registersAt), launched(1, 10, agent, registersAt, runsAt), daemonStarted(1, 10, agent, runsAt), activated(1, runsAt), appStarting(1, 20, runsAt, runsAt + 10_000)])
      .when(advance(runsAt + 10_000))
      .then([appStarted(1, 20, runsAt + 10_000)]);
  });

  it('with zero durations, goes from provisioning to a running task in one step, daemons first (spec 3.9)', () =>
    given([providerCreated, provisioned(1, { daemons: [agent], registersAt: t0 }), appPlaced(1, 20, t0)])
      .when(advance(t0, zeroTimings))
      .then([
        registered(1, t0),
        launched(1, 0x100, agent, t0, t0),
        daemonStarted(1, 0x100, agent, t0),
        activated(1, t0),
        appStarting(1, 20, t0, t0),
        appStarted(1, 20, t0),
      ]));

  it('activates an instance with no daemon as soon as it registers', () =>
    given([providerCreated, provisioned(1)]).when(advance(registersAt)).then([registered(1, registersAt), activated(1, registersAt)]));

  it('decides nothing more at the same instant once its answer is folded', () => {
    const history = [providerCreated, provisioned(1, { daemons: [agent, logs], registersAt: t0 }), appPlaced(1, 20, t0), provisioned(2, { registersAt: t0 + 5 })];
    const events = decide(history, advance(t0 + 5, zeroTimings));
    expect(events.length).toBeGreaterThan(0);
    expect(decide([...history, ...events], advance(t0 + 5, zeroTimings))).toEqual([]);
  });

  it('stops at maxEvents, and the next step at the same instant goes on where it stopped', () => {
    const history = [providerCreated, ...[1, 2, 3].map((n) => provisioned(n, { daemons: [agent], registersAt: t0 })), appPlaced(2, 20, t0)];
    const whole = decide(history, advance(t0, zeroTimings, sequentialIds()));
    const ids = sequentialIds();
    const first = decide(history, advance(t0, zeroTimings, ids, 4));
    const second = decide([...history, ...first], advance(t0, zeroTimings, ids, 100));
    expect(first).toHaveLength(4);
    expect([...first, ...second]).toEqual(whole);
  });
});

describe('nextDueTime', () => {
  it('is the earliest registration or task start to come, and null once the fleet is settled', () => {
    const registersAt = t0 + timings.instanceProvisioningMs;
    expect(nextDueTime(fold(capacityProviderDecider, [providerCreated]), 0)).toBeNull();
    expect(nextDueTime(fold(capacityProviderDecider, [providerCreated, provisioned(1), provisioned(2, { registersAt: registersAt - 7 })]), 0)).toBe(registersAt - 7);
    const launching = [providerCreated, provisioned(1, { daemons: [agent] }), registered(1, registersAt), launched(1, 10, agent, registersAt, registersAt + 5)];
    expect(nextDueTime(fold(capacityProviderDecider, launching), 0)).toBe(registersAt + 5);
    const starting = [...launching, daemonStarted(1, 10, agent, registersAt + 5), activated(1, registersAt + 5), appPlaced(1, 20, registersAt + 5), appStarting(1, 20, registersAt + 5, registersAt + 9)];
    expect(nextDueTime(fold(capacityProviderDecider, starting), 0)).toBe(registersAt + 9);
    expect(nextDueTime(fold(capacityProviderDecider, [...starting, appStarted(1, 20, registersAt + 9)]), 0)).toBeNull();
  });

  it('is later than the instant of a step once that step is folded', () => {
    const history = [providerCreated, provisioned(1, { daemons: [agent, logs] }), appPlaced(1, 20, t0), provisioned(2, { registersAt: t0 + 90_000 })];
    const now = t0 + timings.instanceProvisioningMs;
    const state = fold(capacityProviderDecider, [...history, ...decide(history, advance(now))]);
    expect(nextDueTime(state, 0)).toBe(now + timings.daemonTaskStartMs);
  });
});

function addInstances(count: number, placements: AddInstances['data']['placements'] = []): AddInstances {
  return { type: 'AddInstances', data: { capacityProvider: 'mi', count, reason: 'EMULATOR_REQUEST', placements, timings, now: t0, ids: sequentialIds() } };
}

function advance(now: number, durations: FleetTimings = timings, ids: FleetIds = sequentialIds(), maxEvents?: number): AdvanceFleet {
  return { type: 'AdvanceFleet', data: { now, timings: durations, ids, maxEvents } };
}

function decide(history: readonly CapacityProviderEvent[], command: AdvanceFleet) {
  return capacityProviderDecider.decide(command, fold(capacityProviderDecider, history));
}
