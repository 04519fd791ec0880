import { describe, expect, it } from 'vitest';
import {
  Arns,
  resolveCapacityProviderReference,
  resolveClusterReference,
  resolveDaemonArn,
  resolveDaemonDeploymentArn,
  resolveDaemonTaskDefinitionReference,
} from './arns.js';
import { InvalidParameter } from './domain-errors.js';

const scope = { accountId: '123456789012', region: 'us-east-1' };

describe('ARNs (spec 1.1)', () => {
  it.each([
    [Arns.cluster(scope, 'my-cluster'), 'arn:aws:ecs:us-east-1:123456789012:cluster/my-cluster'],
    [Arns.capacityProvider(scope, 'my-cp'), 'arn:aws:ecs:us-east-1:123456789012:capacity-provider/my-cp'],
    [Arns.daemonTaskDefinition(scope, 'monitoring-agent', 1), 'arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/monitoring-agent:1'],
    [Arns.daemon(scope, 'my-cluster', 'd'), 'arn:aws:ecs:us-east-1:123456789012:daemon/my-cluster/d'],
    [Arns.daemonDeployment(scope, 'c', 'd', 'aB1cD2eF3gH4iJ5k'), 'arn:aws:ecs:us-east-1:123456789012:daemon-deployment/c/d/aB1cD2eF3gH4iJ5k'],
    [Arns.daemonRevision(scope, 'c', 'd', '4980306466373577095'), 'arn:aws:ecs:us-east-1:123456789012:daemon-revision/c/d/4980306466373577095'],
  ])('%s', (built, expected) => expect(built).toBe(expected));

  it('resolves a cluster by name, by ARN (in the ARN’s own scope), and defaults to "default"', () => {
    expect(resolveClusterReference('clusterArn', 'prod', scope)).toEqual({ scope, clusterName: 'prod' });
    expect(resolveClusterReference('clusterArn', 'arn:aws:ecs:eu-west-1:210987654321:cluster/prod', scope)).toEqual({
      scope: { region: 'eu-west-1', accountId: '210987654321' },
      clusterName: 'prod',
    });
    expect(resolveClusterReference('clusterArn', undefined, scope)).toEqual({ scope, clusterName: 'default' });
  });

  it('resolves task definition references in their three forms', () => {
    const options = { requireRevision: false };
    expect(resolveDaemonTaskDefinitionReference('f', 'agent', scope, options)).toEqual({ scope, family: 'agent' });
    expect(resolveDaemonTaskDefinitionReference('f', 'agent:3', scope, options)).toEqual({ scope, family: 'agent', revision: 3 });
    expect(resolveDaemonTaskDefinitionReference('f', Arns.daemonTaskDefinition(scope, 'agent', 3), scope, options)).toEqual({ scope, family: 'agent', revision: 3 });
  });

  it.each([
    ['a cluster ARN of another resource type', () => resolveClusterReference('clusterArn', Arns.capacityProvider(scope, 'x'), scope)],
    ['a cluster name with a space', () => resolveClusterReference('clusterArn', 'my cluster', scope)],
    ['a provider reference that is an ARN of a cluster', () => resolveCapacityProviderReference('capacityProviderArns', Arns.cluster(scope, 'x'), scope)],
    ['a bare family where a revision is required', () => resolveDaemonTaskDefinitionReference('daemonTaskDefinitionArn', 'agent', scope, { requireRevision: true })],
    ['revision 0', () => resolveDaemonTaskDefinitionReference('daemonTaskDefinitionArn', 'agent:0', scope, { requireRevision: true })],
    ['a daemon ARN with one segment', () => resolveDaemonArn('daemonArn', 'arn:aws:ecs:us-east-1:123456789012:daemon/only')],
    ['a deployment ARN without id', () => resolveDaemonDeploymentArn('arn', 'arn:aws:ecs:us-east-1:123456789012:daemon-deployment/c/d')],
  ])('refuses %s with InvalidParameter naming the field', (_what, resolve) => {
    expect(resolve).toThrow(InvalidParameter);
  });
});
