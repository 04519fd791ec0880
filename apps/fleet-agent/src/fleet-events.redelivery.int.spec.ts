import {
  ErrorCode,
  Streams,
  type DaemonTaskAdopted,
  type DeploymentFenceAdvanced,
  type InstanceDrainStarted,
  type InstanceProvisioningStarted,
  type PlannedDaemonTask,
  type RequestOf,
} from '@daemonfleet/contracts';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { RemoteError } from '@daemonfleet/messaging';
import { describeWithNats, eventually, startNatsServerWithLossyAcks, type RunningNatsServer } from '@daemonfleet/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { FLEET_AGENT_SUBSCRIPTION } from './fleet-events.subscription.js';
import { managedInstancesProvider, placeDaemon, prefix, scope, tasksOf } from './testing/fleet-agent-harness.js';
import { FleetAgentsOnJetStream, type FleetAgentReplica } from './testing/fleet-agents-on-jetstream.js';

/**
 * Issue 7 (e) and the fencing of issue 7, at the fleet agent: replicas of the real agent on the real JetStream event
 * store and NATS transport. Redeliveries come from the server itself, to a replica whose acks are lost
 * (startNatsServerWithLossyAcks); duplicated and reordered fleet commands come over the wire from two senders, as
 * two orchestrator replicas acting on one deployment send them. The fence of a deployment at the fleet only moves
 * forward, on every command accepted (one that changes nothing included), and is folded again after a restart; any
 * command with a lower fence is refused. TIME_SCALE 600: a simulated minute lasts 100 ms.
 */
describeWithNats(
  'fleet agent: redelivered events and duplicated, reordered commands over JetStream',
  () => {
    let nats: RunningNatsServer;
    let agents: FleetAgentsOnJetStream;
    let agentV1: PlannedDaemonTask;
    beforeAll(async () => {
      nats = await startNatsServerWithLossyAcks();
    });
    afterAll(() => nats?.dispose());
    afterEach(() => agents?.close());

    /** `drainSeconds`: how long a drained instance keeps its tasks, in simulated seconds (600: one real second). */
    async function setUp(drainSeconds: number): Promise<ReturnType<FleetAgentsOnJetStream['client']>> {
      agents = await FleetAgentsOnJetStream.on(nats.url, { TIME_SCALE: '600', SIM_DRAIN_SECONDS: String(drainSeconds) });
      agentV1 = await placeDaemon(agents.store, 'prod', 'agent', ['prod-mi']);
      return agents.client('gateway');
    }

    it('places, moves and stops a service’s tasks once, however many times the fleet events are delivered', async () => {
      const send = await setUp(6);
      let healthy = await agents.start('kept');
      await createProvider(send);
      await send('fleet.command.RegisterTaskDefinition', { family: 'web-td', containerDefinitions: [{ name: 'web', image: 'nginx' }] });
      await caughtUp(healthy);

      // A replica whose acks are lost holds the shared subscription: the service's creation is delivered again and
      // again, and every event after it waits, while the resync and the commands go on.
      let lossy = await agents.start('lost');
      await healthy.stop();
      const { result } = await send('fleet.command.CreateService', {
        serviceName: 'web',
        cluster: 'prod',
        taskDefinition: 'web-td',
        desiredCount: 4,
        capacityProviderStrategy: [{ capacityProvider: 'prod-mi', weight: 1 }],
      });
      const created = (await agents.events(Streams.service(scope, 'prod', 'web')))[0];
      await eventually(() => expect(handedTo(lossy, created)).toBeGreaterThanOrEqual(3), { what: 'ServiceCreated delivered three times' });
      // Scaled out while the older event keeps coming back.
      await send('fleet.command.UpdateService', { cluster: 'prod', service: 'web', desiredCount: 6 });
      await runningTasks(result.serviceArn, 6);
      await eventually(() => expect(handedTo(lossy, created)).toBeGreaterThanOrEqual(5), { what: 'ServiceCreated delivered after the update' });
      // Another replica takes the subscription over (the first stops, as if it died): the redelivery is acked, the rest follows.
      healthy = await agents.start('kept');
      await lossy.stop();
      await caughtUp(healthy);
      expect(handedTo(healthy, created)).toBe(1);

      // A deployment drains every instance while another replica loses its acks again.
      lossy = await agents.start('lost');
      const instanceIds = (await agents.instances('prod-mi')).map((instance) => instance.instanceId);
      await agents.client('orchestrator')('fleet.command.StartInstanceDrains', drains(instanceIds, 2));
      await eventually(
        async () => {
          const instances = await agents.instances('prod-mi');
          expect(instances.filter((instance) => instanceIds.includes(instance.instanceId))).toEqual([]);
          expect(instances.map((instance) => instance.status)).toEqual(Array(6).fill('ACTIVE'));
          expect(tasksOf(instances, result.serviceArn).running).toHaveLength(6);
        },
        { timeoutMs: 20_000, what: 'every instance replaced, its tasks running on the replacement' },
      );
      await eventually(() => expect(lossy.deliveries.filter((d) => d.subscription === FLEET_AGENT_SUBSCRIPTION).length).toBeGreaterThanOrEqual(3), {
        what: 'the lossy replica handed fleet events again',
      });
      await lossy.stop();
      await caughtUp(healthy);

      const events = await agents.events(Streams.capacityProvider(scope, 'prod-mi'));
      const provisioned = eventsOf<InstanceProvisioningStarted>(events, 'InstanceProvisioningStarted');
      expect(provisioned.filter((e) => e.reason === 'SERVICE_SCALE_OUT')).toHaveLength(6);
      expect(provisioned.filter((e) => e.reason === 'REPLACEMENT').map((e) => e.replacesInstanceId).sort()).toEqual([...instanceIds].sort());
      expect(provisioned).toHaveLength(12);
      expect(eventsOf<InstanceDrainStarted>(events, 'InstanceDrainStarted').map((e) => e.instanceId).sort()).toEqual([...instanceIds].sort());
      // Each task placed once, each moved once (placed on its instance's replacement, then stopped on the drained one).
      expect(count(events, 'AppTaskPlaced')).toBe(12);
      expect(count(events, 'AppTaskStopped')).toBe(6);
      expect(count(events, 'DaemonTaskLaunched')).toBe(12);
    });

    it('drains each instance once when two orchestrators send the same drains, and refuses an older fence after a newer one', async () => {
      const send = await setUp(6);
      await agents.start('kept');
      await agents.start('kept');
      const [i1, i2, i3, i4] = await fourActiveInstances(send);
      // Two orchestrator replicas, each with its own connection; each command reaches one of the two agents.
      const orchestratorA = agents.client('orchestrator-a');
      const orchestratorB = agents.client('orchestrator-b');

      // Both reconciled the deployment at version 3 and send the same drains at once: each instance drains once.
      const [a, b] = await Promise.all([
        orchestratorA('fleet.command.StartInstanceDrains', drains([i1, i2], 3)),
        orchestratorB('fleet.command.StartInstanceDrains', drains([i1, i2], 3)),
      ]);
      // The first one handled answers both draining; the other, handled after it, answers those still draining
      // (an instance with no task to move may already be gone), never another.
      expect([a.result.draining, b.result.draining]).toContainEqual([i1, i2]);
      for (const answer of [a, b]) expect([[], [i1, i2], [i1], [i2]]).toContainEqual(answer.result.draining);
      // B moves the deployment on (version 5). A, frozen since version 4, wakes up and sends what it decided then.
      await orchestratorB('fleet.command.StartInstanceDrains', drains([i3], 5));
      await expectStale(orchestratorA('fleet.command.StartInstanceDrains', drains([i4], 4)));
      await expectStale(orchestratorA('fleet.command.AdoptDaemonTasks', adoption([i4], 4)));
      // A late duplicate of the first drains too: refused, though its instances drain already.
      await expectStale(orchestratorA('fleet.command.StartInstanceDrains', drains([i1, i2], 3)));
      // The same command again at the current fence (a lost reply, a resync) is answered, and drains nothing twice.
      await orchestratorA('fleet.command.StartInstanceDrains', drains([i3], 5));

      await eventually(
        async () => {
          const instances = await agents.instances('prod-mi');
          expect(instances.map((instance) => [instance.status, instance.replacesInstanceId])).toEqual([
            ['ACTIVE', null],
            ['ACTIVE', i1],
            ['ACTIVE', i2],
            ['ACTIVE', i3],
          ]);
          expect(instances[0].instanceId).toBe(i4);
          for (const replacement of instances.slice(1)) expect([...replacement.daemonTasks.values()].map((task) => [task.daemon, task.status])).toEqual([[agentV2, 'RUNNING']]);
        },
        { timeoutMs: 20_000, what: 'the three drained instances replaced, the fourth left as it is' },
      );
      const events = await agents.events(Streams.capacityProvider(scope, 'prod-mi'));
      expect(eventsOf<InstanceDrainStarted>(events, 'InstanceDrainStarted').map((e) => [e.instanceId, e.fence])).toEqual([
        [i1, 3],
        [i2, 3],
        [i3, 5],
      ]);
      expect(eventsOf<InstanceProvisioningStarted>(events, 'InstanceProvisioningStarted').filter((e) => e.reason === 'REPLACEMENT')).toHaveLength(3);
      expect(count(events, 'DaemonTaskAdopted')).toBe(0);
    });

    it('records the fence of every command it accepts, adoptions and drains that change nothing too, and keeps refusing older ones after a restart', async () => {
      const send = await setUp(6);
      const replicas = [await agents.start('kept'), await agents.start('kept')];
      const [i1, i2, i3, i4] = await fourActiveInstances(send);
      const orchestratorA = agents.client('orchestrator-a');
      const orchestratorB = agents.client('orchestrator-b');

      // B moved the deployment on to version 7 and adopted (a rollback made of adoptions only): A, frozen at 5, is refused.
      expect((await orchestratorB('fleet.command.AdoptDaemonTasks', adoption([i1], 7))).result.adopted).toEqual([i1]);
      await expectStale(orchestratorA('fleet.command.StartInstanceDrains', drains([i2], 5)));
      await expectStale(orchestratorA('fleet.command.AdoptDaemonTasks', adoption([i2], 5)));
      // B drains at 8, then sends the same drain at 9, which drains nothing new: A's drain at 8 is refused all the same.
      expect((await orchestratorB('fleet.command.StartInstanceDrains', drains([i3], 8))).result.draining).toEqual([i3]);
      await orchestratorB('fleet.command.StartInstanceDrains', drains([i3], 9));
      await expectStale(orchestratorA('fleet.command.StartInstanceDrains', drains([i2], 8)));
      // An adoption at 10 that adopts nothing new moves the fence too; another deployment's adoption records its own.
      expect((await orchestratorB('fleet.command.AdoptDaemonTasks', adoption([i1], 10))).result.adopted).toEqual([i1]);
      expect((await orchestratorB('fleet.command.AdoptDaemonTasks', adoption([i4], 7, otherDeploymentId))).result.adopted).toEqual([i4]);

      // Every replica restarts: the fences are folded again from the store, and the older ones are still refused.
      for (const replica of replicas) await replica.stop();
      await agents.start('kept');
      await agents.start('kept');
      await expectStale(orchestratorA('fleet.command.StartInstanceDrains', drains([i2], 9)));
      await expectStale(orchestratorA('fleet.command.StartInstanceDrains', drains([i4], 5, otherDeploymentId)));
      // The current fence is taken.
      expect((await orchestratorB('fleet.command.StartInstanceDrains', drains([i2], 10))).result.draining).toEqual([i2]);

      const events = await agents.events(Streams.capacityProvider(scope, 'prod-mi'));
      expect(eventsOf<InstanceDrainStarted>(events, 'InstanceDrainStarted').map((e) => [e.instanceId, e.fence])).toEqual([
        [i3, 8],
        [i2, 10],
      ]);
      expect(eventsOf<DaemonTaskAdopted>(events, 'DaemonTaskAdopted').map((e) => [e.instanceId, e.deploymentId, e.fence])).toEqual([
        [i1, deploymentId, 7],
        [i4, otherDeploymentId, 7],
      ]);
      expect(eventsOf<DeploymentFenceAdvanced>(events, 'DeploymentFenceAdvanced').map((e) => [e.deploymentId, e.fence])).toEqual([
        [deploymentId, 9],
        [deploymentId, 10],
      ]);
    });

    // Helpers and fixtures last.

    /** A provider with four instances, once they are all ACTIVE: their ids. */
    async function fourActiveInstances(send: ReturnType<FleetAgentsOnJetStream['client']>): Promise<string[]> {
      await createProvider(send);
      await send('fleet.command.AddInstances', { capacityProvider: 'prod-mi', count: 4 });
      return eventually(
        async () => {
          const instances = await agents.instances('prod-mi');
          expect(instances.map((instance) => instance.status)).toEqual(Array(4).fill('ACTIVE'));
          return instances.map((instance) => instance.instanceId);
        },
        { what: 'four ACTIVE instances' },
      );
    }

    async function createProvider(send: ReturnType<FleetAgentsOnJetStream['client']>): Promise<void> {
      await send('fleet.command.CreateCluster', { clusterName: 'prod' });
      await send('fleet.command.CreateCapacityProvider', managedInstancesProvider('prod', 'prod-mi'));
    }

    function drains(instanceIds: string[], fence: number, deployment = deploymentId): RequestOf<'fleet.command.StartInstanceDrains'> {
      return { deploymentId: deployment, fence, capacityProviderArn: `${prefix}:capacity-provider/prod-mi`, daemonArn: agentV1.daemonArn, instanceIds, replacementDaemon: agentV2 };
    }

    function adoption(instanceIds: string[], fence: number, deployment = deploymentId): RequestOf<'fleet.command.AdoptDaemonTasks'> {
      const { replacementDaemon: _none, ...fenced } = drains(instanceIds, fence, deployment);
      return { ...fenced, toRevisionArn: agentV2.daemonRevisionArn };
    }

    async function expectStale(request: Promise<unknown>): Promise<void> {
      const error = await request.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteError);
      expect((error as RemoteError).code).toBe(ErrorCode.StaleFencingToken);
    }

    function runningTasks(serviceArn: string, desired: number): Promise<void> {
      return eventually(async () => expect(tasksOf(await agents.instances('prod-mi'), serviceArn).running).toHaveLength(desired), {
        timeoutMs: 15_000,
        what: `${desired} running tasks`,
      });
    }

    /** How many times the replica's durable subscription (shared by the replicas) was handed the event. */
    function handedTo(replica: FleetAgentReplica, event: RecordedEvent): number {
      return replica.deliveries.filter((d) => d.subscription === FLEET_AGENT_SUBSCRIPTION && d.event.metadata.eventId === event.metadata.eventId).length;
    }

    /** Resolves once the replica's durable subscription has been handed the store's last event of its categories. */
    async function caughtUp(replica: FleetAgentReplica): Promise<void> {
      const categories = /^(service|capacityProvider)-/;
      const all = await agents.store.readAll({ fromPosition: 1, maxCount: 100_000 });
      const last = all.filter((e) => categories.test(e.streamId)).at(-1)?.globalPosition ?? 0;
      await eventually(
        () => expect(Math.max(0, ...replica.deliveries.filter((d) => d.subscription === FLEET_AGENT_SUBSCRIPTION).map((d) => d.event.globalPosition))).toBeGreaterThanOrEqual(last),
        { what: 'the fleet agent’s subscription caught up' },
      );
    }
  },
  { needsBinary: true },
);

const deploymentId = 'aB1cD2eF3gH4iJ5k';
const otherDeploymentId = 'zZ9yY8xX7wW6vV5u';

const agentV2: PlannedDaemonTask = {
  daemonArn: `${prefix}:daemon/prod/agent`,
  daemonRevisionArn: `${prefix}:daemon-revision/prod/agent/2000000000000000002`,
  daemonTaskDefinitionArn: `${prefix}:daemon-task-definition/agent:2`,
  critical: true,
};

function eventsOf<E extends { type: string; data: unknown }>(events: readonly RecordedEvent[], type: E['type']): E['data'][] {
  return events.filter((e) => e.type === type).map((e) => e.data as E['data']);
}

function count(events: readonly RecordedEvent[], type: string): number {
  return events.filter((e) => e.type === type).length;
}
