import type { DeploymentEvent, RevisionInstanceCounts } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { recordedDeploymentCounts } from './deployment-counts.js';
import { deploymentDecider, type RecordDeploymentCounts } from './deployment.decider.js';
import { active, breakerFailures, counts, createdEvent, mi, now, previous, replace, replaced, requested, rollbackStarted, started, stopRequested, world, zero } from './testing/deployment-fixtures.js';
import { planned, target } from './testing/rollout-harness.js';
import type { SimulatedFleet } from './testing/simulated-fleet.js';

const given = DeciderSpecification.for(deploymentDecider);

/**
 * The counts a deployment records as the fleet moves (docs/rollout.md "Counts"): DescribeDaemonDeployments shows the
 * last recorded, so the state at each version of the stream is what Describe showed then.
 */
describe('deployment counts', () => {
  it('records the counts observed when they differ from those last recorded', () => {
    const fleet = world();
    active(fleet, mi, [planned(target())]);
    return given([createdEvent(), started({ n: 1, batch: 1, counts: [targetAt(0)] })])
      .when(record(fleet))
      .then([observed([targetAt(1)])]);
  });

  it('records nothing when the fleet shows what was last recorded, whatever the order', () => {
    const fleet = world();
    active(fleet, mi, [planned(target())]);
    active(fleet, mi, [planned(previous)]);
    const recorded = [counts(previous.arn, mi, { running: 1 }), targetAt(1)];
    return given([createdEvent(), started({ n: 1, batch: 1, counts: recorded })]).when(record(fleet)).thenNothingHappened();
  });

  it('records while rolling back and when a stop was requested, as the instances still move', () => {
    const fleet = world();
    active(fleet, mi, [planned(previous)]);
    const rollingBack = [createdEvent(), started({ n: 1, batch: 1, counts: [targetAt(0)] }), breakerFailures(10), stopRequested('CIRCUIT_BREAKER', 'tripped')];
    given(rollingBack).when(record(fleet)).then([observed([targetAt(0), counts(previous.arn, mi, { running: 1 })])]);
    given([...rollingBack, rollbackStarted('tripped')]).when(record(fleet)).then([observed([targetAt(0), counts(previous.arn, mi, { running: 1 })])]);
  });

  it('records nothing for a deployment not started yet or finished: they show their start’s and end’s counts', () => {
    const fleet = world();
    active(fleet, mi, [planned(target())]);
    given([createdEvent()]).when(record(fleet)).thenNothingHappened();
    const succeeded: DeploymentEvent = { type: 'DeploymentSucceeded', data: { finishedAt: now, finalCounts: [targetAt(0)] } };
    given([createdEvent(), started({ n: 0, batch: 1 }), succeeded]).when(record(fleet)).thenNothingHappened();
  });

  it('folds the observed counts into what the deployment shows, and ignores them once it finished', () => {
    const fold = (events: DeploymentEvent[]) => events.reduce(deploymentDecider.evolve, deploymentDecider.initialState());
    const rolling = fold([createdEvent(), started({ n: 2, batch: 1, counts: [targetAt(0)] }), requested(1, ['i-1']), observed([targetAt(1)])]);
    expect(rolling.status !== 'NONE' && recordedDeploymentCounts(rolling)).toEqual([targetAt(1)]);
    const finished = fold([createdEvent(), started({ n: 1, batch: 1 }), { type: 'DeploymentSucceeded', data: { finishedAt: now, finalCounts: [targetAt(2)] } }, observed([targetAt(1)])]);
    expect(finished.status !== 'NONE' && recordedDeploymentCounts(finished)).toEqual([targetAt(2)]);
  });

  it('shows the target’s providers at zero before the start recorded anything', () => {
    const pending = deploymentDecider.evolve(deploymentDecider.initialState(), createdEvent());
    expect(pending.status !== 'NONE' && recordedDeploymentCounts(pending)).toEqual([{ revisionArn: target().arn, capacityProviders: [zero(mi)] }]);
  });

  it('moves with the batches of a rollout: the replaced instance leaves, its replacement counts', () => {
    const fleet = world();
    const old = active(fleet, mi, [planned(previous)]);
    const replacement = replace(fleet, old, planned(target()));
    return given([createdEvent(), started({ n: 1, batch: 1, counts: [targetAt(0), counts(previous.arn, mi, { running: 1 })] }), requested(1, [old]), replaced(1, [[old, replacement]])])
      .when(record(fleet))
      .then([observed([targetAt(1)])]);
  });
});

const targetAt = (running: number): RevisionInstanceCounts => counts(target().arn, mi, { running });
const observed = (revisionCounts: RevisionInstanceCounts[]): DeploymentEvent => ({ type: 'DeploymentCountsObserved', data: { revisionCounts, observedAt: now } });
const record = (fleet: SimulatedFleet): RecordDeploymentCounts => ({ type: 'RecordDeploymentCounts', data: { now, fleets: [...fleet.fleets.values()] } });
