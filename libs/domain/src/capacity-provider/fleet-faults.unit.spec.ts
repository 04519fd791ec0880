import type { CapacityProviderEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { daemonRevisionCounts } from '../fleet/daemon-counts.js';
import { heldBackByFailedDaemon } from '../fleet/fleet.state.js';
import { fold } from '../shared/decider.js';
import { nextDueTime, type AdvanceFleet } from './advance-fleet.js';
import { capacityProviderDecider, type CapacityProviderCommand } from './capacity-provider.decider.js';
import type { ActiveCapacityProvider } from './capacity-provider.state.js';
import { retryAt, type FleetFaults } from './fleet-faults.js';
import {
  activated,
  activeInstance,
  appPlaced,
  appStarted,
  appStarting,
  daemon,
  daemonStarted,
  drainStarted,
  failedToStart,
  faultRule,
  faults,
  imageOf,
  instanceId,
  launched,
  placed,
  providerArn,
  providerCreated,
  provisioned,
  provisioningFailed,
  registered,
  sequentialIds,
  serviceArn,
  t0,
  taskArn,
  taskDefinitionArn,
  timings,
  zeroTimings,
} from './testing/fleet-fixtures.js';

const given = DeciderSpecification.for(capacityProviderDecider);
const agent = daemon('agent', 1);
const agentV2 = daemon('agent', 2);
const logs = daemon('logs', 1, { critical: false });
const daemons = [agent, agentV2, logs];
const failAgent = faultRule(1, imageOf(agent), { start: 1 });
const failLogs = faultRule(2, imageOf(logs), { start: 1 });

const registersAt = t0 + timings.instanceProvisioningMs;
const runsAt = registersAt + timings.daemonTaskStartMs;

describe('AdvanceFleet with faults: a critical daemon task that fails to start (spec 3.8)', () => {
  const launching = [providerCreated, provisioned(1, { daemons: [agent] }), appPlaced(1, 20, t0), registered(1, registersAt), launched(1, 10, agent, registersAt, runsAt)];
  const failed = [...launching, failedToStart(1, 10, agent, failAgent, runsAt, 1, runsAt + 10_000)];

  it('fails instead of running when a rule on an image of its task definition draws a failure; the instance stays REGISTERING', () => {
    const injected = faults([failAgent], [0.999], daemons);
    given(launching).when(advance(runsAt, injected)).then([failedToStart(1, 10, agent, failAgent, runsAt, 1, runsAt + 10_000)]);
    expect(injected.drawsLeft()).toBe(0);
  });

  it('keeps the instance out of service: no activation, its application task stays PROVISIONING, nothing due but the retry', () => {
    const state = fold(capacityProviderDecider, failed) as ActiveCapacityProvider;
    const instance = state.fleet.instances.get(instanceId(1))!;
    expect([instance.status, instance.appTasks.get(taskArn(20))?.status, heldBackByFailedDaemon(instance)]).toEqual(['REGISTERING', 'PROVISIONING', true]);
    expect(instance.daemonTasks.get(agent.daemonArn)).toMatchObject({ status: 'STOPPED', failedAttempts: 1, retryAt: runsAt + 10_000 });
    expect(nextDueTime(state, 0)).toBe(runsAt + 10_000);
  });

  it('does nothing before the retry is due', () => given(failed).when(advance(runsAt + 9_999, faults([failAgent], [], daemons))).thenNothingHappened());

  it('launches a new task on the same instance when the retry is due (decision 21)', () =>
    given(failed)
      .when(advance(runsAt + 10_000, faults([failAgent], [], daemons)))
      .then([launched(1, 0x100, agent, runsAt + 10_000, runsAt + 15_000)]));

  it('retries with the daemon’s current revision when a rollback restored an earlier one while it was not ACTIVE (spec 3.9.4)', () => {
    const failedOnV2 = [...launching.slice(0, -1), launched(1, 10, agentV2, registersAt, runsAt), failedToStart(1, 10, agentV2, failAgent, runsAt, 1, runsAt + 10_000)];
    given(failedOnV2)
      .when({ type: 'AdvanceFleet', data: { now: runsAt + 10_000, timings, ids: sequentialIds(), faults: faults([failAgent], [], daemons), placements: [placed(agent)] } })
      .then([launched(1, 0x100, agent, runsAt + 10_000, runsAt + 15_000)]);
  });

  it('retries what failed when the daemon’s current revision does not cover the instance’s provider: none to come up on', () => {
    const failedOnV2 = [...launching.slice(0, -1), launched(1, 10, agentV2, registersAt, runsAt), failedToStart(1, 10, agentV2, failAgent, runsAt, 1, runsAt + 10_000)];
    const elsewhere = `${providerArn}-other`;
    given(failedOnV2)
      .when({ type: 'AdvanceFleet', data: { now: runsAt + 10_000, timings, ids: sequentialIds(), faults: faults([failAgent], [], daemons), placements: [placed(agent, [elsewhere])] } })
      .then([launched(1, 0x100, agentV2, runsAt + 10_000, runsAt + 15_000)]);
  });

  it('counts the attempts on the instance: the second failure waits twice as long', () =>
    given([...failed, launched(1, 11, agent, runsAt + 10_000, runsAt + 15_000)])
      .when(advance(runsAt + 15_000, faults([failAgent], [0], daemons)))
      .then([failedToStart(1, 11, agent, failAgent, runsAt + 15_000, 2, runsAt + 35_000)]));

  it('activates the instance and starts its application task once a retry runs', () =>
    given([...failed, launched(1, 11, agent, runsAt + 10_000, runsAt + 15_000)])
      .when(advance(runsAt + 15_000, faults([faultRule(1, imageOf(agent), { start: 0.5 })], [0.5], daemons)))
      .then([daemonStarted(1, 11, agent, runsAt + 15_000), activated(1, runsAt + 15_000), appStarting(1, 20, runsAt + 15_000, runsAt + 25_000)]));

  it('takes no new application task while out of service: a service provisions a new instance instead', () => {
    const place = (): CapacityProviderCommand => ({
      type: 'PlaceServiceTasks',
      data: { capacityProvider: 'mi', serviceArn, taskDefinitionArn, targetCount: 2, tasksPerInstance: 2, placements: [placed(agent)], timings, now: runsAt, ids: sequentialIds() },
    });
    given(launching).when(place()).then([appPlaced(1, 0x100, runsAt)]);
    given(failed)
      .when(place())
      .then([provisioned(0x100, { daemons: [agent], at: runsAt, reason: 'SERVICE_SCALE_OUT' }), appPlaced(0x100, 0x100, runsAt)]);
  });

  it('never counts a critical daemon without daemon: its instance is not active (spec 3.10)', () => {
    const state = fold(capacityProviderDecider, failed) as ActiveCapacityProvider;
    expect(daemonRevisionCounts(agent.daemonArn, [state.fleet])).toEqual([
      { revisionArn: agent.daemonRevisionArn, capacityProviders: [{ capacityProviderArn: state.capacityProviderArn, running: 0, withoutDaemon: 0, draining: 0 }] },
    ]);
  });
});

describe('AdvanceFleet with faults: a replacement whose critical daemon cannot start', () => {
  const deploymentId = 'aB1cD2eF3gH4iJ5k';
  const replacing = [
    providerCreated,
    ...activeInstance(1, [agent], { appTask: 20 }),
    drainStarted(1, 2, t0),
    provisioned(2, { daemons: [agentV2], registersAt: t0, reason: 'REPLACEMENT', replaces: 1, deploymentId }),
    registered(2, t0),
    launched(2, 30, agentV2, t0, t0 + 5_000),
  ];
  const failV2 = faultRule(3, imageOf(agentV2), { start: 1 });

  it('leaves the drained instance its running tasks, attempt after attempt: no task is lost', () => {
    const history: CapacityProviderEvent[] = [...replacing];
    for (let attempt = 1; attempt <= 6; attempt++) {
      const due = nextDueTime(fold(capacityProviderDecider, history) as ActiveCapacityProvider, 0)!;
      history.push(...decide(history, advance(due, faults([failV2], [0, 0], daemons))));
    }
    const failures = history.filter((event) => event.type === 'DaemonTaskFailedToStart');
    expect(failures.map((event) => event.data.attempt)).toEqual([1, 2, 3]);
    expect(history.some((event) => event.type === 'AppTaskPlaced' && event.data.replacesTask)).toBe(false);
    const state = fold(capacityProviderDecider, history) as ActiveCapacityProvider;
    expect(state.fleet.instances.get(instanceId(1))?.appTasks.get(taskArn(20))?.status).toBe('RUNNING');
    expect(state.fleet.instances.get(instanceId(2))?.status).toBe('REGISTERING');
  });

  it('is not retried once drained in turn (a rollback): its tasks go on to the next replacement', () => {
    const retryDue = t0 + 5_000 + 10_000;
    const rolledBack = [
      ...replacing,
      failedToStart(2, 30, agentV2, failV2, t0 + 5_000, 1, retryDue),
      drainStarted(2, 3, t0 + 6_000, { deploymentId: 'zZ9yY8xX7wW6vV5u', fence: 1 }),
      provisioned(3, { daemons: [agent], at: t0 + 6_000, reason: 'REPLACEMENT', replaces: 2, deploymentId: 'zZ9yY8xX7wW6vV5u' }),
    ];
    const state = fold(capacityProviderDecider, rolledBack) as ActiveCapacityProvider;
    expect(nextDueTime(state, 0)).toBe(t0 + 6_000 + timings.instanceProvisioningMs);
    given(rolledBack).when(advance(retryDue, faults([failV2], [], daemons))).thenNothingHappened();
    const up = t0 + 6_000 + timings.instanceProvisioningMs;
    const started = up + timings.daemonTaskStartMs;
    given([...rolledBack, registered(3, up), launched(3, 40, agent, up, started)])
      .when(advance(started, faults([failV2], [], daemons)))
      .then([
        daemonStarted(3, 40, agent, started),
        activated(3, started),
        appPlaced(3, 0x100, started, { replaces: [1, 20] }),
        appStarting(3, 0x100, started, started + timings.appTaskStartMs),
      ]);
  });
});

describe('AdvanceFleet with faults: a non-critical daemon task that fails to start (decision 21)', () => {
  const launching = [
    providerCreated,
    provisioned(1, { daemons: [agent, logs] }),
    appPlaced(1, 20, t0),
    registered(1, registersAt),
    launched(1, 10, agent, registersAt, runsAt),
    launched(1, 11, logs, registersAt, runsAt),
  ];
  const failedAndActive = [
    ...launching,
    daemonStarted(1, 10, agent, runsAt),
    failedToStart(1, 11, logs, failLogs, runsAt, 1, runsAt + 10_000),
    activated(1, runsAt),
    appStarting(1, 20, runsAt, runsAt + 10_000),
  ];

  it('releases the instance at once: it activates and its application task starts', () =>
    given(launching)
      .when(advance(runsAt, faults([failLogs], [0.2], daemons)))
      .then([
        daemonStarted(1, 10, agent, runsAt),
        failedToStart(1, 11, logs, failLogs, runsAt, 1, runsAt + 10_000),
        activated(1, runsAt),
        appStarting(1, 20, runsAt, runsAt + timings.appTaskStartMs),
      ]));

  it('keeps retrying the task on the active instance, while its application task runs', () =>
    given(failedAndActive)
      .when(advance(runsAt + 10_000, faults([failLogs], [], daemons)))
      .then([launched(1, 0x100, logs, runsAt + 10_000, runsAt + 15_000), appStarted(1, 20, runsAt + 10_000)]));

  it('retries the same revision on the active instance whatever the daemon’s current revision: a deployment replaces it', () => {
    const logsV2 = daemon('logs', 2, { critical: false });
    given(failedAndActive)
      .when({ type: 'AdvanceFleet', data: { now: runsAt + 10_000, timings, ids: sequentialIds(), faults: faults([failLogs], [], daemons), placements: [placed(agent), placed(logsV2)] } })
      .then([launched(1, 0x100, logs, runsAt + 10_000, runsAt + 15_000), appStarted(1, 20, runsAt + 10_000)]);
  });

  it('counts the instance without daemon until a task of it runs (spec 3.10)', () => {
    const counts = (history: readonly CapacityProviderEvent[]) => {
      const state = fold(capacityProviderDecider, history) as ActiveCapacityProvider;
      return daemonRevisionCounts(logs.daemonArn, [state.fleet])[0].capacityProviders[0];
    };
    expect(counts(failedAndActive)).toMatchObject({ running: 0, withoutDaemon: 1 });
    const retried = [...failedAndActive, launched(1, 12, logs, runsAt + 10_000, runsAt + 15_000)];
    expect(counts(retried)).toMatchObject({ running: 0, withoutDaemon: 1 });
    expect(counts([...retried, daemonStarted(1, 12, logs, runsAt + 15_000)])).toMatchObject({ running: 1, withoutDaemon: 0 });
  });

  it('does not hold back a registering instance while its retry starts, once it has failed', () =>
    given([...launching, failedToStart(1, 11, logs, failLogs, runsAt - 1, 1, runsAt - 1), launched(1, 12, logs, runsAt - 1, runsAt + 4_999)])
      .when(advance(runsAt))
      .then([daemonStarted(1, 10, agent, runsAt), activated(1, runsAt), appStarting(1, 20, runsAt, runsAt + timings.appTaskStartMs)]));
});

describe('AdvanceFleet with faults: which rules apply, and what they draw', () => {
  const launching = [providerCreated, provisioned(1, { daemons: [agent] }), registered(1, registersAt), launched(1, 10, agent, registersAt, runsAt)];
  const starts = [daemonStarted(1, 10, agent, runsAt), activated(1, runsAt)];

  it('draws nothing for a rule on another image, or with a rate of 0, and the task starts', () => {
    const injected = faults([faultRule(1, 'nginx:latest', { start: 1 }), faultRule(2, imageOf(agent), { start: 0, provisioning: 1 })], [], daemons);
    given(launching).when(advance(runsAt, injected)).then(starts);
  });

  it('starts the task when the draw is not below the rate', () =>
    given(launching)
      .when(advance(runsAt, faults([faultRule(1, imageOf(agent), { start: 0.25 })], [0.25], daemons)))
      .then(starts));

  it('matches any image of the task definition, and draws once per matching rule, in order, until one fails the start', () => {
    const sidecar = faultRule(2, 'public.ecr.aws/example/sidecar:1', { start: 0.5 });
    const rules = [faultRule(1, imageOf(agent), { start: 0.5 }), sidecar, faultRule(3, imageOf(agent), { start: 1 })];
    const injected = faults(rules, [0.6, 0.4], daemons);
    given(launching).when(advance(runsAt, injected)).then([failedToStart(1, 10, agent, sidecar, runsAt, 1, runsAt + 10_000)]);
    expect(injected.drawsLeft()).toBe(0);
  });

  it('matches nothing when the fleet does not know the task definition’s images', () =>
    given(launching).when(advance(runsAt, faults([failAgent], [], []))).then(starts));
});

describe('AdvanceFleet with faults: instance provisioning', () => {
  const failProvisioning = faultRule(4, imageOf(agent), { provisioning: 1 });
  const provisioning = [providerCreated, provisioned(1, { daemons: [agent] })];
  const failed = [...provisioning, provisioningFailed(1, failProvisioning, registersAt, 1, registersAt + 10_000)];

  it('fails the registration of an instance launched with a matching image, and retries it later', () => {
    given(provisioning).when(advance(registersAt, faults([failProvisioning], [0.5], daemons))).then([provisioningFailed(1, failProvisioning, registersAt, 1, registersAt + 10_000)]);
    expect(nextDueTime(fold(capacityProviderDecider, failed), 0)).toBe(registersAt + 10_000);
    given(failed)
      .when(advance(registersAt + 10_000, faults([failProvisioning], [0], daemons)))
      .then([provisioningFailed(1, failProvisioning, registersAt + 10_000, 2, registersAt + 30_000)]);
  });

  it('registers at the retry once the rule is gone, and launches the daemons', () =>
    given(failed)
      .when(advance(registersAt + 10_000, faults([], [], daemons)))
      .then([registered(1, registersAt + 10_000), launched(1, 0x100, agent, registersAt + 10_000, registersAt + 15_000)]));

  it('never fails an instance that runs no matching image', () =>
    given([providerCreated, provisioned(1)])
      .when(advance(registersAt, faults([failProvisioning], [], daemons)))
      .then([registered(1, registersAt), activated(1, registersAt)]));
});

describe('retryAt: exponential backoff in simulated time', () => {
  it.each([
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [5, 160_000],
    [6, 300_000],
    [10_000, 300_000],
  ])('attempt %i is retried %i ms later (base 10 s, at most 5 min)', (attempt, delay) => expect(retryAt(timings, attempt, t0)).toBe(t0 + delay));

  it('is always later than the failure, even with zero durations, so a failing step ends', () => {
    expect(retryAt(zeroTimings, 1, t0)).toBe(t0 + 1);
    expect(retryAt(zeroTimings, 5_000, t0)).toBe(t0 + 1);
  });
});

function advance(now: number, injected?: FleetFaults): AdvanceFleet {
  return { type: 'AdvanceFleet', data: { now, timings, ids: sequentialIds(), faults: injected } };
}

function decide(history: readonly CapacityProviderEvent[], command: CapacityProviderCommand) {
  return capacityProviderDecider.decide(command, fold(capacityProviderDecider, history));
}
