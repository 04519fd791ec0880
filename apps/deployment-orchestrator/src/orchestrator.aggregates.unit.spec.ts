import type { DeploymentCreated, DeploymentEvent } from '@daemonfleet/contracts';
import { deploymentDecider, fold, supersededStatusReason } from '@daemonfleet/domain';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { orchestratorDeploymentDecider, type OpenSupersededDeployment } from './orchestrator.aggregates.js';

const given = DeciderSpecification.for(orchestratorDeploymentDecider);

/** A deployment its daemon superseded before it opened is opened stopped, in one append: never reconciled unfinished. */
describe('OpenSupersededDeployment', () => {
  it('creates the deployment and stops it, superseded, in one decision: the domain’s two commands in a row', () => {
    const opened: DeploymentEvent = { type: 'DeploymentCreated', data: created };
    const stop = deploymentDecider.decide({ type: 'StopDeployment', data: openSuperseded.data.stop }, fold(deploymentDecider, [opened]));
    expect(stop.map((e) => e.type)).toEqual(['DeploymentStopped']);
    given([]).when(openSuperseded).then([opened, ...stop]);
    expect(fold(deploymentDecider, [opened, ...stop])).toMatchObject({ status: 'STOPPED', stopReason: 'SUPERSEDED', startedAt: null, statusReason: supersededStatusReason(newer) });
  });

  it('does nothing to a deployment already open: a newer one stops it the usual way', () => {
    given([{ type: 'DeploymentCreated', data: created }]).when(openSuperseded).thenNothingHappened();
    given([{ type: 'DeploymentCreated', data: created }, stopped]).when(openSuperseded).thenNothingHappened();
  });

  it('decides the domain’s commands as the domain does', () => {
    given([]).when({ type: 'CreateDeployment', data: created }).then([{ type: 'DeploymentCreated', data: created }]);
  });
});

// Fixtures last.
const prefix = 'arn:aws:ecs:us-east-1:123456789012';
const newer = `${prefix}:daemon-deployment/prod/monitor/bBbBbBbBbBbBbBbB`;
const created: DeploymentCreated['data'] = {
  deploymentId: 'aAaAaAaAaAaAaAaA',
  daemonDeploymentArn: `${prefix}:daemon-deployment/prod/monitor/aAaAaAaAaAaAaAaA`,
  daemonArn: `${prefix}:daemon/prod/monitor`,
  clusterArn: `${prefix}:cluster/prod`,
  targetRevision: { arn: `${prefix}:daemon-revision/prod/monitor/2000000000000000002`, daemonTaskDefinitionArn: `${prefix}:daemon-task-definition/agent:2`, capacityProviderArns: [`${prefix}:capacity-provider/mi`], critical: true },
  sourceRevisionArns: [],
  deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
  createdAt: 1,
};
const openSuperseded: OpenSupersededDeployment = {
  type: 'OpenSupersededDeployment',
  data: { created, stop: { reason: 'SUPERSEDED', supersededBy: newer, now: 2, fleets: [] } },
};
const stopped: DeploymentEvent = {
  type: 'DeploymentStopped',
  data: { stoppedAt: 2, reason: 'SUPERSEDED', statusReason: supersededStatusReason(newer), finalCounts: [] },
};
