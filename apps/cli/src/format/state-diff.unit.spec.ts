import { describe, expect, it } from 'vitest';
import { deployment, revision, SOURCE, TARGET } from '../testing/cli-fixtures.js';
import { diffDeployments, diffValue } from './state-diff.js';

describe('deployment diff', () => {
  it('names each changed field by its path, revisions and providers by the last part of their ARN', () => {
    const before = deployment();
    const after = deployment({
      status: 'ROLLBACK_IN_PROGRESS',
      statusReason: 'The circuit breaker stopped the deployment.',
      // Listed in another order: matched by ARN, not by position.
      sourceDaemonRevisions: [revision(SOURCE, 6, 1)],
      targetDaemonRevision: revision(TARGET, 2, 0),
      circuitBreaker: { failureCount: 10, status: 'TRIGGERED', threshold: 10 },
    });
    expect(diffDeployments(before, after)).toEqual([
      { path: 'status', from: 'IN_PROGRESS', to: 'ROLLBACK_IN_PROGRESS' },
      { path: 'sourceDaemonRevisions[111].capacityProviders[prod-mi].runningInstanceCount', from: 4, to: 6 },
      { path: 'sourceDaemonRevisions[111].capacityProviders[prod-mi].drainingInstanceCount', from: 2, to: 1 },
      { path: 'sourceDaemonRevisions[111].totalRunningInstanceCount', from: 4, to: 6 },
      { path: 'sourceDaemonRevisions[111].totalDrainingInstanceCount', from: 2, to: 1 },
      { path: 'circuitBreaker.failureCount', from: 3, to: 10 },
      { path: 'circuitBreaker.status', from: 'MONITORING', to: 'TRIGGERED' },
      { path: 'statusReason', from: undefined, to: 'The circuit breaker stopped the deployment.' },
    ]);
  });

  it('finds nothing between equal answers; a revision that appears is one change', () => {
    expect(diffDeployments(deployment(), deployment())).toEqual([]);
    const more = deployment({ sourceDaemonRevisions: [revision(SOURCE, 4, 2), revision(`${SOURCE}9`, 1, 0)] });
    expect(diffDeployments(deployment(), more)).toEqual([{ path: 'sourceDaemonRevisions[1119]', from: undefined, to: revision(`${SOURCE}9`, 1, 0) }]);
  });

  it('prints absent values as such, texts as they are, the rest as JSON', () => {
    expect([undefined, 'text', 3, { a: 1 }].map(diffValue)).toEqual(['(absent)', 'text', '3', '{"a":1}']);
  });
});
