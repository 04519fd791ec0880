import type { DeploymentEvent, PlannedDaemonTask } from '@daemonfleet/contracts';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { deploymentDecider } from './deployment.decider.js';
import { MAX_INSTANCES_PER_FLEET_COMMAND } from './chunks.js';
import { pendingFleetCommands, type PendingFleetCommand } from './fleet-commands.js';
import { created, daemonArn, deploymentId, planned, providerArn, revisionArn, target, taskDefinitionArn } from './testing/rollout-harness.js';
import { SimulatedFleet } from './testing/simulated-fleet.js';

describe('pendingFleetCommands', () => {
  it('asks for nothing before the deployment starts', () => {
    const fleet = world();
    active(fleet, mi);
    expect(pendingFleetCommands(stateAfter([createdEvent()]), observed(fleet))).toEqual([]);
  });

  it('drains the open batch per provider: the target on its providers, nothing of the daemon on a removed one', () => {
    const fleet = world();
    const [a, b, c] = [active(fleet, mi), active(fleet, mi2), active(fleet, removed, [planned(oldRevision)])];
    const state = stateAfter([createdEvent(), started(3), requested([a, b, c].map((id, i) => [id, [mi, mi2, removed][i]]))]);
    expect(pendingFleetCommands(state, observed(fleet))).toEqual([
      drains(mi, [a], planned(twoProviders)),
      drains(mi2, [b], planned(twoProviders)),
      drains(removed, [c], null),
    ]);
  });

  it('replaces with no task of the daemon for a delete deployment', () => {
    const fleet = world();
    const a = active(fleet, mi, [planned(oldRevision)]);
    const state = stateAfter([createdEvent(null), started(1), requested([[a, mi]])]);
    expect(pendingFleetCommands(state, observed(fleet))).toEqual([drains(mi, [a], null)]);
  });

  it('sends nothing for members already draining, for this deployment or another, or gone', () => {
    const fleet = world();
    const [a, b, c] = [active(fleet, mi), active(fleet, mi), active(fleet, mi)];
    fleet.drain(fleet.instance(a)!, deploymentId, 3, daemonArn, planned(twoProviders));
    fleet.drain(fleet.instance(b)!, 'Superseded0000000', 9, daemonArn, planned(oldRevision));
    const state = stateAfter([createdEvent(), started(3), requested([[a, mi], [b, mi], [c, mi], ['i-0000000000000ffff', mi]])]);
    expect(pendingFleetCommands(state, observed(fleet))).toEqual([drains(mi, [c], planned(twoProviders))]);
  });

  it(`splits a large batch into commands of at most ${MAX_INSTANCES_PER_FLEET_COMMAND} instances`, () => {
    const fleet = world();
    const ids = Array.from({ length: 2_500 }, () => active(fleet, mi));
    const state = stateAfter([createdEvent(), started(2_500, 2_500), requested(ids.map((id) => [id, mi]))]);
    expect(pendingFleetCommands(state, observed(fleet)).map((c) => c.data.instanceIds.length)).toEqual([1_000, 1_000, 500]);
  });

  it('relabels what the deployment adopted until the fleet shows it on the target', () => {
    const fleet = world();
    const a = active(fleet, mi, [planned(matching)]);
    const state = stateAfter([createdEvent(), started(0), { type: 'DaemonTasksAdopted', data: { instances: [{ instanceId: a, capacityProviderArn: mi }], adoptedAt: now } }]);
    const adopt: PendingFleetCommand = { type: 'AdoptDaemonTasks', data: { deploymentId, capacityProviderArn: mi, daemonArn, instanceIds: [a], toRevisionArn: twoProviders.arn } };
    expect(pendingFleetCommands(state, observed(fleet))).toEqual([adopt]);
    fleet.handle(adopt, 3);
    expect(pendingFleetCommands(state, observed(fleet))).toEqual([]);
  });
});

// Fixtures last.
const now = 1_742_040_000_000;
const mi = providerArn('mi');
const mi2 = providerArn('mi2');
const removed = providerArn('removed');
const twoProviders = target({ capacityProviderArns: [mi, mi2] });
const oldRevision = { arn: revisionArn('old'), daemonTaskDefinitionArn: taskDefinitionArn(1), critical: true };
const matching = { arn: revisionArn('matching'), daemonTaskDefinitionArn: twoProviders.daemonTaskDefinitionArn, critical: true };

const world = () => new SimulatedFleet([mi, mi2, removed]);
const observed = (fleet: SimulatedFleet) => ({ fleets: [...fleet.fleets.values()] });
function active(fleet: SimulatedFleet, provider: string, daemons: PlannedDaemonTask[] = []): string {
  const id = fleet.provision(provider, daemons);
  fleet.settle(id);
  return id;
}
const stateAfter = (events: DeploymentEvent[]) => fold(deploymentDecider, events);
const createdEvent = (targetRevision: ReturnType<typeof target> | null = twoProviders): DeploymentEvent => ({ type: 'DeploymentCreated', data: created({ targetRevision }) });
const started = (n: number, batchSize = n): DeploymentEvent => ({
  type: 'DeploymentStarted',
  data: { startedAt: now, instancesInScope: n, batchSize, circuitBreakerThreshold: 10, monitoredAlarmNames: [], alarmsInAlarmAtStart: [], timesInAlarmAtStart: {}, revisionCounts: [] },
});
const requested = (members: [string, string][]): DeploymentEvent => ({
  type: 'InstanceDrainsRequested',
  data: { batch: 1, instances: members.map(([instanceId, capacityProviderArn]) => ({ instanceId, capacityProviderArn })), requestedAt: now },
});
const drains = (capacityProviderArn: string, instanceIds: string[], replacementDaemon: PlannedDaemonTask | null) => ({
  type: 'StartInstanceDrains',
  data: { deploymentId, capacityProviderArn, daemonArn, instanceIds, replacementDaemon },
});
