import { describe, expect, it } from 'vitest';
import { RolloutHarness, created, planned, providerArn, revisionArn, taskDefinitionArn } from './testing/rollout-harness.js';
import { SimulatedFleet } from './testing/simulated-fleet.js';

describe('the rollout budget against a fleet (decision 3)', () => {
  it.each([
    // [drainPercent, most instances draining at once, instances per batch]
    [25, 2, [2, 2, 2, 2]],
    [100, 8, [8]],
    [0, 1, [1, 1, 1, 1, 1, 1, 1, 1]],
    [50, 4, [4, 4]],
    [30, 3, [3, 3, 2]],
  ])('a fleet of 8 instances at drainPercent %i never shows more than %i draining, batches %j', (drainPercent, most, batches) => {
    const rollout = new RolloutHarness(fleetOf(8), created({}, drainPercent));
    let seen = 0;
    const final = rollout.runToEnd({
      onRound: () => {
        expect(rollout.draining()).toBeLessThanOrEqual(most);
        seen = Math.max(seen, rollout.draining());
      },
    });
    expect(final.status).toBe('SUCCESSFUL');
    expect(seen).toBe(most);
    const requested = rollout.events.flatMap((e) => (e.type === 'InstanceDrainsRequested' ? [e.data.instances.length] : []));
    expect(requested).toEqual(batches);
  });

  it('rolls 10,000 instances in four batches of 2,500, each instance drained once', () => {
    const rollout = new RolloutHarness(fleetOf(10_000), created({}, 25));
    const final = rollout.runToEnd();
    expect(final.status).toBe('SUCCESSFUL');
    const drained = rollout.fleet.log.filter(({ event }) => event.type === 'InstanceDrainStarted').map(({ event }) => event.data.instanceId);
    expect(new Set(drained).size).toBe(10_000);
    const replaced = rollout.events.flatMap((e) => (e.type === 'InstancesReplaced' ? e.data.instances : []));
    expect(replaced).toHaveLength(10_000);
    // Each batch of 2,500 is requested in parts of at most 2,000 instances (an event stays far below 1 MiB).
    const parts = rollout.events.flatMap((e) => (e.type === 'InstanceDrainsRequested' ? [[e.data.batch, e.data.instances.length]] : []));
    expect(parts).toEqual([1, 2, 3, 4].flatMap((batch) => [[batch, 2_000], [batch, 500]]));
  });
});

// Fixtures last.
const mi = providerArn('mi');
const oldRevision = { arn: revisionArn('old'), daemonTaskDefinitionArn: taskDefinitionArn(1), critical: true };

/** `count` ACTIVE instances of one provider, each running the daemon's old revision. */
function fleetOf(count: number): SimulatedFleet {
  const fleet = new SimulatedFleet([mi]);
  for (let i = 0; i < count; i++) fleet.settle(fleet.provision(mi, [planned(oldRevision)]));
  return fleet;
}
