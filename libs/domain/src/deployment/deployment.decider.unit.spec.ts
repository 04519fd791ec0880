import type { DeploymentCreated, DeploymentEvent, InstanceRecord } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { deploymentDecider, type ReconcileDeployment } from './deployment.decider.js';

const given = DeciderSpecification.for(deploymentDecider);

describe('daemon deployment', () => {
  it('opens its stream once', () => given([]).when({ type: 'CreateDeployment', data: createdData }).then([created]));

  it('ignores a repeated creation', () => given([created]).when({ type: 'CreateDeployment', data: createdData }).thenNothingHappened());

  describe('on a provider with no instances (decision 5)', () => {
    it('starts with zero counts and succeeds at once', () =>
      given([created])
        .when(reconcile({ instances: [] }))
        .then([
          started({ instancesInScope: 0, batchSize: 1, revisionCounts: [{ revisionArn: targetArn, capacityProviders: [zeroCounts(providerArn)] }] }),
          { type: 'DeploymentSucceeded', data: { finishedAt: now } },
        ]));

    it('does nothing more once it succeeded', () =>
      given([created, started({ instancesInScope: 0, batchSize: 1 }), { type: 'DeploymentSucceeded', data: { finishedAt: now } }])
        .when(reconcile({ instances: [] }))
        .thenNothingHappened());
  });

  it('fixes the scope, batch and breaker threshold from the instances it finds', () =>
    given([created])
      .when(reconcile({ instances: [instance('i-1'), instance('i-2'), instance('i-3'), instance('i-4'), instance('i-5')] }))
      .then([
        started({
          instancesInScope: 5,
          batchSize: 2,
          revisionCounts: [{ revisionArn: targetArn, capacityProviders: [zeroCounts(providerArn)] }],
        }),
      ]));

  it('counts instances that already run a revision of the daemon', () =>
    given([created])
      .when(reconcile({ instances: [instance('i-1', [{ daemonArn, daemonRevisionArn: 'old', running: true }])] }))
      .then([
        started({
          instancesInScope: 1,
          batchSize: 1,
          revisionCounts: [
            { revisionArn: targetArn, capacityProviders: [zeroCounts(providerArn)] },
            { revisionArn: 'old', capacityProviders: [{ ...zeroCounts(providerArn), running: 1 }] },
          ],
        }),
      ]));

  it('records the monitored alarms and ignores those already in ALARM', () =>
    given([{ type: 'DeploymentCreated', data: { ...createdData, deploymentConfiguration: { ...createdData.deploymentConfiguration, alarms: { enable: true, alarmNames: ['cpu', 'errors'] } } } }])
      .when({ type: 'ReconcileDeployment', data: { now, fleet: { instances: [instance('i-1')] }, alarms: { states: { cpu: 'ALARM', errors: 'OK' } } } })
      .then([
        started({
          instancesInScope: 1,
          batchSize: 1,
          monitoredAlarmNames: ['cpu', 'errors'],
          alarmsInAlarmAtStart: ['cpu'],
          revisionCounts: [{ revisionArn: targetArn, capacityProviders: [zeroCounts(providerArn)] }],
        }),
      ]));

  it('decides nothing new when reconciled again after applying its own decision, whatever the fleet', () => {
    fc.assert(
      fc.property(fc.array(arbitraryInstance, { maxLength: 30 }), (instances) => {
        const observation = reconcile({ instances });
        const first = deploymentDecider.decide(observation, fold(deploymentDecider, [created]));
        const second = deploymentDecider.decide(observation, fold(deploymentDecider, [created, ...first]));
        expect(second).toEqual([]);
      }),
    );
  });
});

// Fixtures last. Fixed ids and a fixed instant: no randomness.
const now = 1_742_040_000_000;
const prefix = 'arn:aws:ecs:us-east-1:123456789012';
const daemonArn = `${prefix}:daemon/prod/monitor`;
const targetArn = `${prefix}:daemon-revision/prod/monitor/1`;
const providerArn = `${prefix}:capacity-provider/mi`;
const createdData: DeploymentCreated['data'] = {
  deploymentId: 'aB1cD2eF3gH4iJ5k',
  daemonDeploymentArn: `${prefix}:daemon-deployment/prod/monitor/aB1cD2eF3gH4iJ5k`,
  daemonArn,
  clusterArn: `${prefix}:cluster/prod`,
  targetRevision: { arn: targetArn, daemonTaskDefinitionArn: `${prefix}:daemon-task-definition/agent:1`, capacityProviderArns: [providerArn], critical: true },
  sourceRevisionArns: [],
  deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
  createdAt: now - 5_000,
};
const created: DeploymentEvent = { type: 'DeploymentCreated', data: createdData };
const zeroCounts = (capacityProviderArn: string) => ({ capacityProviderArn, running: 0, withoutDaemon: 0, draining: 0 });
const reconcile = (fleet: { instances: InstanceRecord[] }): ReconcileDeployment => ({ type: 'ReconcileDeployment', data: { now, fleet, alarms: { states: {} } } });
const instance = (id: string, daemonTasks: InstanceRecord['daemonTasks'] = []): InstanceRecord => ({
  containerInstanceArn: `${prefix}:container-instance/prod/${id}`,
  capacityProviderArn: providerArn,
  status: 'ACTIVE',
  daemonTasks,
});
const started = (overrides: Partial<Extract<DeploymentEvent, { type: 'DeploymentStarted' }>['data']>): DeploymentEvent => ({
  type: 'DeploymentStarted',
  data: {
    startedAt: now,
    instancesInScope: 0,
    batchSize: 1,
    circuitBreakerThreshold: 10,
    monitoredAlarmNames: [],
    alarmsInAlarmAtStart: [],
    revisionCounts: [],
    ...overrides,
  },
});
const arbitraryInstance: fc.Arbitrary<InstanceRecord> = fc.record({
  containerInstanceArn: fc.uuid().map((id) => `${prefix}:container-instance/prod/${id}`),
  capacityProviderArn: fc.constantFrom(providerArn, `${prefix}:capacity-provider/other`),
  status: fc.constantFrom('REGISTERING', 'ACTIVE', 'DRAINING', 'DEREGISTERING'),
  daemonTasks: fc.array(
    fc.record({ daemonArn: fc.constantFrom(daemonArn, `${prefix}:daemon/prod/other`), daemonRevisionArn: fc.constantFrom(targetArn, 'old'), running: fc.boolean() }),
    { maxLength: 2 },
  ),
});
