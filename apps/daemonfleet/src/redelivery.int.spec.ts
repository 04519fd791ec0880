import { Streams, Subjects, type DeploymentEvent, type InstanceProvisioningStarted, type RequestOf } from '@daemonfleet/contracts';
import { deploymentDecider, fold, type DeploymentState } from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { describeWithNats, eventually, startNatsServerWithLossyAcks, type RunningNatsServer } from '@daemonfleet/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ServicesOnJetStream, type ServiceReplica } from './testing/services-on-jetstream.js';

/**
 * Issue 7 (e) across services: a rollout carried out by two orchestrators and two fleet agents over NATS and
 * JetStream, one replica of each losing every ack it sends, so the server delivers again each event of the shared
 * subscriptions that replica takes (after the ack wait, to it or to the other replica), while the events go on
 * (a redelivered event comes after newer ones of its stream). The rollout must come out exactly as without
 * redelivery: each instance drained once, each task placed, moved and started once, each batch requested once.
 */
describeWithNats(
  'a rollout over NATS with replicas whose acks are lost',
  () => {
    let nats: RunningNatsServer;
    let system: ServicesOnJetStream;
    beforeAll(async () => {
      nats = await startNatsServerWithLossyAcks();
      system = await ServicesOnJetStream.on(nats.url, {
        TIME_SCALE: '600',
        RESYNC_INTERVAL_MS: '100',
        REQUEST_TIMEOUT_MS: '5000',
        METRICS_PERIOD_SECONDS: '86400',
        SIM_DRAIN_SECONDS: '6',
      });
    }, 30_000);
    afterAll(async () => {
      await system?.close();
      await nats?.dispose();
    });

    it('drains each instance once, and places, moves and starts each task once', async () => {
      const lossy: ServiceReplica[] = [];
      await system.start('fleet-agent', 'kept');
      lossy.push(await system.start('fleet-agent', 'lost'));
      await system.start('deployment-orchestrator', 'kept');
      lossy.push(await system.start('deployment-orchestrator', 'lost'));

      await send(Subjects.fleet.createCluster, { clusterName: 'prod' });
      await send(Subjects.fleet.createCapacityProvider, {
        name: 'mi',
        cluster: 'prod',
        managedInstancesProvider: {
          infrastructureRoleArn: `arn:aws:iam::${scope.accountId}:role/infra`,
          instanceLaunchTemplate: { ec2InstanceProfileArn: `arn:aws:iam::${scope.accountId}:instance-profile/ecs` },
        },
      } as RequestOf<typeof Subjects.fleet.createCapacityProvider>);
      await send(Subjects.fleet.registerTaskDefinition, { family: 'web-td', containerDefinitions: [{ name: 'web', image: 'nginx' }] });
      const service = await send(Subjects.fleet.createService, {
        serviceName: 'web',
        cluster: 'prod',
        taskDefinition: 'web-td',
        desiredCount: 6,
        capacityProviderStrategy: [{ capacityProvider: 'mi', weight: 1 }],
      });
      await eventually(async () => expect(count(await fleetEvents(), 'AppTaskStarted')).toBe(6), { timeoutMs: 20_000, what: 'six running tasks' });

      const td = await send(Subjects.orchestrator.registerDaemonTaskDefinition, { family: 'agent', containerDefinitions: [{ name: 'agent', image: 'agent:1' }] });
      const created = await send(Subjects.orchestrator.createDaemon, {
        daemonName: 'monitor',
        clusterArn: 'prod',
        daemonTaskDefinitionArn: td.result.daemonTaskDefinitionArn,
        capacityProviderArns: ['mi'],
        deploymentConfiguration: { drainPercent: 50 },
      });
      const deploymentId = created.result.deploymentArn.split('/').at(-1)!;
      const final = await eventually(
        async () => {
          const state = fold(deploymentDecider, (await system.store.readStream(Streams.daemonDeployment(deploymentId))) as unknown as DeploymentEvent[]);
          if (state.status !== 'SUCCESSFUL') throw new Error(`deployment ${deploymentId} is ${state.status}`);
          return state;
        },
        { timeoutMs: 60_000, intervalMs: 100, what: 'the rollout to succeed' },
      );
      expect(final.status).toBe('SUCCESSFUL' satisfies DeploymentState['status']);

      // Each service's shared subscription gets through every event (those the lossy replica took, after the ack
      // wait), some of them more than once; whatever those redeliveries prompted is in the store by then.
      for (const [kind, categories] of [
        ['fleet-agent', /^(service|capacityProvider)-/],
        ['deployment-orchestrator', /^(capacityProvider|daemon|daemonDeployment|daemonTaskDefinition|alarm)-/],
      ] as const) {
        const replicas = system.replicas.filter((replica) => replica.service === kind);
        await eventually(
          async () => {
            const last = (await system.store.readAll({ fromPosition: 1, maxCount: 100_000 })).filter((e) => categories.test(e.streamId)).at(-1)!.globalPosition;
            expect(Math.max(...replicas.flatMap((r) => durable(r).map((d) => d.event.globalPosition)))).toBeGreaterThanOrEqual(last);
          },
          { timeoutMs: 60_000, intervalMs: 200, what: `the ${kind}'s shared subscription caught up` },
        );
        expect(handedMoreThanOnce(replicas), `${kind}: events delivered more than once`).not.toEqual([]);
      }
      expect(lossy.map((replica) => durable(replica).length > 0)).toEqual([true, true]);

      const deployment = (await system.store.readStream(Streams.daemonDeployment(deploymentId))) as unknown as (RecordedEvent & DeploymentEvent)[];
      expect(deployment.filter((e) => e.type === 'DeploymentCreated')).toHaveLength(1);
      const requested = deployment.flatMap((e) => (e.type === 'InstanceDrainsRequested' ? e.data.instances.map((i) => i.instanceId) : []));
      expect(new Set(requested).size).toBe(requested.length);
      expect(requested).toHaveLength(6);

      const events = await fleetEvents();
      const drained = events.filter((e) => e.type === 'InstanceDrainStarted').map((e) => (e.data as { instanceId: string }).instanceId);
      expect([...drained].sort()).toEqual([...requested].sort());
      const provisioned = events.filter((e) => e.type === 'InstanceProvisioningStarted').map((e) => e.data as InstanceProvisioningStarted['data']);
      expect(provisioned.filter((p) => p.reason === 'SERVICE_SCALE_OUT')).toHaveLength(6);
      expect(provisioned.filter((p) => p.reason === 'REPLACEMENT').map((p) => p.replacesInstanceId).sort()).toEqual([...drained].sort());
      expect(provisioned).toHaveLength(12);
      // Each task placed once and moved once (placed on its instance's replacement, stopped on the drained one);
      // the daemon started once on each replacement.
      expect(count(events, 'AppTaskPlaced')).toBe(12);
      expect(count(events, 'AppTaskStopped')).toBe(6);
      expect(count(events, 'DaemonTaskLaunched')).toBe(6);
      expect(count(events, 'DaemonTaskStarted')).toBe(6);
      expect(count(events, 'InstanceDeregistered')).toBe(6);
      expect(events.filter((e) => e.type === 'AppTaskStarted' && (e.data as { serviceArn?: string }).serviceArn !== undefined && (e.data as { serviceArn: string }).serviceArn !== service.result.serviceArn)).toEqual([]);
    }, 120_000);

    // Helpers and fixtures last.

    const scope = { accountId: '000000000000', region: 'us-east-1' };

    function send<S extends Parameters<ServicesOnJetStream['send']>[0]>(subject: S, data: RequestOf<S>) {
      return system.send(subject, data, scope);
    }

    function fleetEvents(): Promise<RecordedEvent[]> {
      return system.store.readStream(Streams.capacityProvider(scope, 'mi'));
    }

    /** What the replica's durable subscription (shared by the service's replicas) was handed. */
    function durable(replica: ServiceReplica) {
      return replica.deliveries.filter((d) => d.subscription !== undefined);
    }

    /** Events the service's shared subscription handed its replicas more than once. */
    function handedMoreThanOnce(replicas: readonly ServiceReplica[]): string[] {
      const ids = replicas.flatMap(durable).map((d) => d.event.metadata.eventId);
      return [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
    }
  },
  { needsBinary: true },
);

function count(events: readonly RecordedEvent[], type: string): number {
  return events.filter((e) => e.type === type).length;
}
