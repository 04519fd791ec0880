import type { CapacityProviderEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { CapacityProviderNotFound } from '../shared/domain-errors.js';
import { capacityProviderDecider } from './capacity-provider.decider.js';
import type { ActiveCapacityProvider } from './capacity-provider.state.js';
import { serviceTaskCount, type PlaceServiceTasks, type StopServiceTasks } from './service-tasks.js';
import {
  activeInstance,
  appPlaced,
  appStarting,
  appStopped,
  daemon,
  drainStarted,
  otherServiceArn,
  placed,
  providerCreated,
  provisioned,
  sequentialIds,
  serviceArn,
  t0,
  timings,
} from './testing/fleet-fixtures.js';

const given = DeciderSpecification.for(capacityProviderDecider);
const agent = daemon('agent', 1);
const later = t0 + 1_000;

describe('PlaceServiceTasks', () => {
  it('on an empty provider, provisions one instance per task, each task PROVISIONING on it, daemons first (spec 3.9)', () =>
    given([providerCreated])
      .when(place(2))
      .then([
        provisioned(0x100, { daemons: [agent], at: later, reason: 'SERVICE_SCALE_OUT' }),
        appPlaced(0x100, 0x100, later),
        provisioned(0x101, { daemons: [agent], at: later, reason: 'SERVICE_SCALE_OUT' }),
        appPlaced(0x101, 0x101, later),
      ]));

  it('puts TASKS_PER_INSTANCE tasks on a new instance', () =>
    given([providerCreated])
      .when(place(3, { tasksPerInstance: 2 }))
      .then([
        provisioned(0x100, { daemons: [agent], at: later, reason: 'SERVICE_SCALE_OUT' }),
        appPlaced(0x100, 0x100, later),
        appPlaced(0x100, 0x101, later),
        provisioned(0x101, { daemons: [agent], at: later, reason: 'SERVICE_SCALE_OUT' }),
        appPlaced(0x101, 0x102, later),
      ]));

  it('fills free room first, ACTIVE instances before registering ones, and never a draining one', () =>
    given([
      providerCreated,
      provisioned(1),
      ...activeInstance(2, [], { appTask: 20 }),
      ...activeInstance(3),
      ...activeInstance(4),
      drainStarted(4, 9, t0),
    ])
      .when(place(5, { tasksPerInstance: 2 }))
      .then([appPlaced(2, 0x100, later), appPlaced(3, 0x101, later), appPlaced(3, 0x102, later), appPlaced(1, 0x103, later)]));

  it('keeps a replacement’s room for the tasks on their way to it', () =>
    given([
      providerCreated,
      ...activeInstance(1, [], { appTask: 20 }),
      drainStarted(1, 2, t0),
      provisioned(2, { reason: 'REPLACEMENT', replaces: 1, deploymentId: 'aB1cD2eF3gH4iJ5k' }),
    ])
      .when(place(2, { tasksPerInstance: 2 }))
      .then([appPlaced(2, 0x100, later)]));

  it('places nothing when the service already counts the target: the command is a level, safe to repeat', () =>
    given([providerCreated, ...activeInstance(1, [], { appTask: 20 }), provisioned(2), appPlaced(2, 21, t0)]).when(place(2)).thenNothingHappened());

  it('never splits an instance from its first task when maxEvents cuts the decision short', () =>
    given([providerCreated])
      .when(place(5, { maxEvents: 5 }))
      .then([
        provisioned(0x100, { daemons: [agent], at: later, reason: 'SERVICE_SCALE_OUT' }),
        appPlaced(0x100, 0x100, later),
        provisioned(0x101, { daemons: [agent], at: later, reason: 'SERVICE_SCALE_OUT' }),
        appPlaced(0x101, 0x101, later),
      ]));

  it('refuses a provider that does not exist', () => given([]).when(place(1)).thenThrows(CapacityProviderNotFound));
});

describe('StopServiceTasks', () => {
  const fleet = [
    providerCreated,
    ...activeInstance(1, [], { appTask: 20 }),
    ...activeInstance(2, [], { appTask: 21 }),
    ...activeInstance(3),
    appPlaced(3, 22, t0),
    appStarting(3, 22, t0, t0 + 5),
    provisioned(4),
    appPlaced(4, 23, t0),
    provisioned(5),
    appPlaced(5, 24, t0, { service: otherServiceArn }),
  ];

  it('stops the least advanced tasks first: PROVISIONING, then PENDING, then RUNNING', () =>
    given(fleet).when(stop(1)).then([appStopped(4, 23, later, 'SERVICE_SCALED_IN'), appStopped(3, 22, later, 'SERVICE_SCALED_IN'), appStopped(1, 20, later, 'SERVICE_SCALED_IN')]));

  it('stops a task that is moving together with the task it takes over from', () =>
    given([
      providerCreated,
      ...activeInstance(1, [], { appTask: 20 }),
      drainStarted(1, 2, t0),
      ...activeInstance(2).map((event) => (event.type === 'InstanceProvisioningStarted' ? provisioned(2, { registersAt: t0, reason: 'REPLACEMENT', replaces: 1 }) : event)),
      appPlaced(2, 21, t0, { replaces: [1, 20] }),
    ])
      .when(stop(0, 'SERVICE_DELETED'))
      .then([appStopped(2, 21, later, 'SERVICE_DELETED'), appStopped(1, 20, later, 'SERVICE_DELETED')]));

  it('stops nothing when the service counts no more than the target', () => given(fleet).when(stop(4)).thenNothingHappened());
});

describe('serviceTaskCount', () => {
  it('counts a task moving to a replacement once, and every task in the total', () => {
    const state = fold(capacityProviderDecider, [
      providerCreated,
      ...activeInstance(1, [], { appTask: 20 }),
      ...activeInstance(3, [], { appTask: 22 }),
      drainStarted(1, 2, t0),
      provisioned(2, { registersAt: t0, reason: 'REPLACEMENT', replaces: 1 }),
      appPlaced(2, 21, t0, { replaces: [1, 20] }),
    ] as CapacityProviderEvent[]) as ActiveCapacityProvider;
    expect(serviceTaskCount(state, serviceArn)).toEqual({ counted: 2, running: 1, total: 3 });
  });

  it('counts a task again, running, when the replacement it was moving to stops before it', () => {
    const state = fold(capacityProviderDecider, [
      providerCreated,
      ...activeInstance(1, [], { appTask: 20 }),
      drainStarted(1, 2, t0),
      provisioned(2, { registersAt: t0, reason: 'REPLACEMENT', replaces: 1 }),
      appPlaced(2, 21, t0, { replaces: [1, 20] }),
      appStopped(2, 21, later, 'SERVICE_SCALED_IN'),
    ] as CapacityProviderEvent[]) as ActiveCapacityProvider;
    expect(serviceTaskCount(state, serviceArn)).toEqual({ counted: 1, running: 1, total: 1 });
  });
});

function place(targetCount: number, overrides: Partial<PlaceServiceTasks['data']> = {}): PlaceServiceTasks {
  return {
    type: 'PlaceServiceTasks',
    data: {
      capacityProvider: 'mi',
      serviceArn,
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      targetCount,
      tasksPerInstance: 1,
      placements: [placed(agent)],
      timings,
      now: later,
      ids: sequentialIds(),
      ...overrides,
    },
  };
}

function stop(targetCount: number, reason: StopServiceTasks['data']['reason'] = 'SERVICE_SCALED_IN'): StopServiceTasks {
  return { type: 'StopServiceTasks', data: { capacityProvider: 'mi', serviceArn, targetCount, reason, now: later } };
}
