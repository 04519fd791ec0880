import type { DeploymentEvent } from '@daemonfleet/contracts';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { deploymentDecider } from './deployment.decider.js';
import { forgetDaemon, initialStableRevisions, previousRevisionOf, recordFinishedDeployment } from './previous-revision.js';
import { now, previous, rollbackStarted, started, stopRequested } from './testing/deployment-fixtures.js';
import { created, daemonArn, target } from './testing/rollout-harness.js';

describe('the rollback target: what the last deployment that ended well left in place (spec 3.7)', () => {
  it('is nothing for the daemon’s first deployment (decision 6)', () => {
    expect(previousRevisionOf(initialStableRevisions(), created())).toBeNull();
  });

  it('is the target of the latest earlier deployment that succeeded', () => {
    const stable = initialStableRevisions();
    recordFinishedDeployment(stable, finished('one', 1, previous, [succeeded()]));
    expect(previousRevisionOf(stable, later)).toEqual(previous);
  });

  it('is the revision a deployment rolled back to, when its rollback succeeded', () => {
    const stable = initialStableRevisions();
    recordFinishedDeployment(stable, finished('one', 1, target(), [...tripped(), { type: 'DeploymentRolledBack', data: { finishedAt: now, statusReason: 'back', finalCounts: [] } }]));
    expect(previousRevisionOf(stable, later)).toEqual(previous);
  });

  it.each([
    ['stopped', [{ type: 'DeploymentStopped', data: { stoppedAt: now, reason: 'SUPERSEDED', statusReason: 'newer', finalCounts: [] } }]],
    ['whose rollback failed', [...tripped(), { type: 'DeploymentRollbackFailed', data: { finishedAt: now, statusReason: 'failed', finalCounts: [] } }]],
  ] as [string, DeploymentEvent[]][])('is not changed by a deployment %s: an earlier success still counts', (_, ending) => {
    const stable = initialStableRevisions();
    recordFinishedDeployment(stable, finished('one', 1, previous, [succeeded()]));
    recordFinishedDeployment(stable, finished('two', 2, target({ arn: 'arn:two' }), ending));
    expect(previousRevisionOf(stable, later)).toEqual(previous);
  });

  it('ignores a late record of an older deployment', () => {
    const stable = initialStableRevisions();
    recordFinishedDeployment(stable, finished('two', 2, previous, [succeeded()]));
    recordFinishedDeployment(stable, finished('one', 1, target({ arn: 'arn:older' }), [succeeded()]));
    expect(previousRevisionOf(stable, later)).toEqual(previous);
  });

  it('is nothing for the deployment that put it in place, or one created before it', () => {
    const stable = initialStableRevisions();
    recordFinishedDeployment(stable, finished('two', 2, previous, [succeeded()]));
    expect(previousRevisionOf(stable, created({ deploymentId: 'two', createdAt: 2 }))).toBeNull();
    expect(previousRevisionOf(stable, created({ deploymentId: 'one', createdAt: 1 }))).toBeNull();
  });

  it('is forgotten when a daemon of the same name is created again', () => {
    const stable = initialStableRevisions();
    recordFinishedDeployment(stable, finished('one', 1, previous, [succeeded()]));
    forgetDaemon(stable, daemonArn);
    expect(previousRevisionOf(stable, later)).toBeNull();
  });
});

// Fixtures last.
const later = created({ deploymentId: 'later', createdAt: 10 });
const succeeded = (): DeploymentEvent => ({ type: 'DeploymentSucceeded', data: { finishedAt: now, finalCounts: [] } });
const tripped = (): DeploymentEvent[] => [stopRequested('ALARM', 'alarm'), rollbackStarted('alarm')];

function finished(deploymentId: string, createdAt: number, targetRevision: ReturnType<typeof target>, ending: DeploymentEvent[]) {
  return fold(deploymentDecider, [{ type: 'DeploymentCreated', data: created({ deploymentId, createdAt, targetRevision }) }, started({ n: 0, batch: 1 }), ...ending]);
}
