import { Streams, type DaemonRevisionCreated, type DaemonRevisionRestored, type InstanceProvisioningStarted, type PlannedDaemonTask } from '@daemonfleet/contracts';
import { eventually } from '@daemonfleet/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetAgentHarness, placeDaemon, prefix, scope, withMetadata } from '../testing/fleet-agent-harness.js';

describe('fleet agent: the revision new instances launch (spec 3.9.4)', () => {
  let fleet: FleetAgentHarness;
  let v1: PlannedDaemonTask;
  beforeAll(async () => {
    fleet = await FleetAgentHarness.start({ TIME_SCALE: '600' }, async (store) => {
      v1 = await placeDaemon(store, 'prod', 'agent', ['prod-mi']);
    });
    await fleet.createProvider('prod', 'prod-mi');
  });
  afterAll(() => fleet?.close());

  it('is the latest revision, the one a rollback restores while it lasts, and a newer revision after that', async () => {
    const v2 = await appendRevision(2);
    await expectNewInstancesToPlan(v2);

    await fleet.store.appendToStream(daemonStream, [withMetadata(restored(v1))], { expectedVersion: 'any' });
    await expectNewInstancesToPlan(v1);

    const v3 = await appendRevision(3);
    await expectNewInstancesToPlan(v3);
  });

  /** A new revision of the daemon, as UpdateDaemon writes it. */
  async function appendRevision(n: number): Promise<PlannedDaemonTask> {
    const revisionId = `${n}000000000000000000`.slice(0, 19);
    const planned = { ...v1, daemonRevisionArn: `${prefix}:daemon-revision/prod/agent/${revisionId}`, daemonTaskDefinitionArn: `${prefix}:daemon-task-definition/agent:${n}` };
    const revised: DaemonRevisionCreated = {
      type: 'DaemonRevisionCreated',
      data: {
        daemonArn: v1.daemonArn,
        revision: {
          daemonRevisionArn: planned.daemonRevisionArn,
          revisionId,
          daemonTaskDefinitionArn: planned.daemonTaskDefinitionArn,
          capacityProviderArns: [`${prefix}:capacity-provider/prod-mi`],
          propagateTags: 'NONE',
          enableECSManagedTags: false,
          enableExecuteCommand: false,
          critical: true,
          containerImages: [],
          createdAt: Date.now(),
        },
        deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
        deploymentId: `dep${revisionId.slice(0, 13)}`,
        deploymentArn: `${prefix}:daemon-deployment/prod/agent/dep${revisionId.slice(0, 13)}`,
        createdAt: Date.now(),
      },
    };
    await fleet.store.appendToStream(daemonStream, [withMetadata(revised)], { expectedVersion: 'any' });
    return planned;
  }

  /** The agent reads daemon events by subscription: a new instance plans `expected` once it has read them. */
  async function expectNewInstancesToPlan(expected: PlannedDaemonTask): Promise<void> {
    await eventually(
      async () => {
        const { result } = await fleet.send('fleet.command.AddInstances', { capacityProvider: 'prod-mi', count: 1 });
        const provisioned = (await fleet.events(Streams.capacityProvider(scope, 'prod-mi'))).find(
          (event) => event.type === 'InstanceProvisioningStarted' && (event.data as InstanceProvisioningStarted['data']).containerInstanceArn === result.containerInstanceArns[0],
        );
        expect((provisioned?.data as InstanceProvisioningStarted['data']).daemons).toEqual([expected]);
      },
      { what: `new instances to plan ${expected.daemonRevisionArn}` },
    );
  }
});

const daemonStream = Streams.daemon(scope, 'prod', 'agent');
const restored = (revision: PlannedDaemonTask): DaemonRevisionRestored => ({
  type: 'DaemonRevisionRestored',
  data: { daemonArn: revision.daemonArn, revisionArn: revision.daemonRevisionArn, deploymentId: 'rollbackDeploy01', restoredAt: Date.now() },
});
