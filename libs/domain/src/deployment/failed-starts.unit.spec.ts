import type { DaemonTaskFailedToStart } from '@daemonfleet/contracts';
import { describe, expect, it } from 'vitest';
import { failedStartsOf, initialFailedStarts, recordFailedStart } from './failed-starts.js';
import { mi, previous } from './testing/deployment-fixtures.js';
import { deploymentId, planned, target } from './testing/rollout-harness.js';
import { SimulatedFleet } from './testing/simulated-fleet.js';

describe('failed daemon task starts, as the circuit breaker counts them (decision 1)', () => {
  it('counts every failed attempt on the replacements a deployment launched, per revision', () => {
    const fleet = new SimulatedFleet([mi]);
    fleet.failing.add(target().arn);
    const old = fleet.provision(mi, [planned(previous)]);
    fleet.settle(old);
    const replacement = fleet.drain(fleet.instance(old)!, deploymentId, 3, planned(target()).daemonArn, planned(target()));
    for (let attempt = 0; attempt < 3; attempt++) {
      fleet.settle(replacement);
      fleet.now += 1;
    }
    expect(failedStartsOf(fleet.failedStarts, deploymentId)).toEqual({ [target().arn]: 3 });
    expect(failedStartsOf(fleet.failedStarts, 'another')).toEqual({});
  });

  it('counts nothing for an instance no deployment launched (scale-out), nor for an unknown instance', () => {
    const fleet = new SimulatedFleet([mi]);
    fleet.failing.add(target().arn);
    fleet.settle(fleet.provision(mi, [planned(target())]));
    const counts = initialFailedStarts();
    recordFailedStart(counts, undefined, failure);
    expect(fleet.failedStarts).toEqual(new Map());
    expect(counts).toEqual(new Map());
  });
});

const failure: DaemonTaskFailedToStart = {
  type: 'DaemonTaskFailedToStart',
  data: { instanceId: 'i-1', taskArn: 't', daemon: planned(target()), failureType: 'TASK_FAILED_TO_RUN', reason: 'x', attempt: 1, failedAt: 0, retryAt: 1 },
};
