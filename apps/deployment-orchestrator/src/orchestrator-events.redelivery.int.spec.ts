import { Streams, Subjects, type DeploymentEvent } from '@daemonfleet/contracts';
import { daemonDecider, deploymentDecider, fold, latestDeployment, supersededStatusReason, type DeploymentState } from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { randomIds } from '@daemonfleet/service-runtime';
import { describeWithNats, eventually, startNatsServerWithLossyAcks } from '@daemonfleet/testing';
import type { RunningNatsServer } from '@daemonfleet/testing';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { ORCHESTRATOR_SUBSCRIPTION } from './orchestrator-events.subscription.js';
import { arn, OrchestratorsOnJetStream, revisionRequest, scope, type OrchestratorReplica } from './testing/orchestrators-on-jetstream.js';

/**
 * Issue 7 (e): redelivered and reordered events cause no extra action. The real orchestrator on the real JetStream
 * event store and NATS transport; redeliveries come from the server itself, to a replica whose acks are lost
 * (startNatsServerWithLossyAcks), and a replica that keeps its acks takes the subscription over, as after a crash.
 */
describeWithNats(
  'deployment orchestrator: redelivered and late events over JetStream',
  () => {
    let nats: RunningNatsServer;
    let o: OrchestratorsOnJetStream;
    beforeAll(async () => {
      nats = await startNatsServerWithLossyAcks();
    });
    afterAll(() => nats?.dispose());
    beforeEach(async () => {
      o = await OrchestratorsOnJetStream.on(nats.url);
    });
    afterEach(() => o?.close());

    it('opens a deployment once however many times its reaction is delivered, and appends nothing more', async () => {
      const lossy = await o.start('lost');
      // CreateDaemon's own append, by a process that died before opening the deployment: the reaction opens it.
      const daemon = await o.appendDaemonCommandAndCrash('monitor', { type: 'CreateDaemon', data: createRequest('monitor') });
      const deploymentId = latestDeployment(daemon)!.deploymentId;
      const revisionCreated = (await o.events(daemonStream('monitor'))).find((e) => e.type === 'DaemonRevisionCreated')!;

      // The server delivers the event again and again: the lossy replica's acks never reach it.
      await eventually(() => expect(reactionsTo(lossy, revisionCreated)).toBeGreaterThanOrEqual(4), { what: 'the reaction delivered four times' });
      // Another replica takes the subscription over (the first one stops, as if it died): one more delivery, acked.
      const healthy = await o.start('kept');
      await lossy.stop();
      await eventually(() => expect(reactionsTo(healthy, revisionCreated)).toBe(1), { what: 'the redelivery to the healthy replica' });
      const final = await finished(deploymentId);

      expect(final.status).toBe('SUCCESSFUL');
      const events = await o.events(Streams.daemonDeployment(deploymentId));
      expect(events.filter((e) => e.type === 'DeploymentCreated')).toHaveLength(1);
      expect(duplicatedTypes(events)).toEqual([]);
      expect((await o.events(daemonStream('monitor'))).map((e) => e.type)).toEqual(['DaemonCreated', 'DaemonRevisionCreated']);
      // Caught up: the healthy replica handled every later event of the subscription, none of them twice.
      await caughtUp(healthy);
      expect(handledTwice(healthy)).toEqual([]);
    });

    it('never opens a deployment its daemon superseded, when the reaction to its revision comes late', async () => {
      let replica = await o.start('kept');
      const created = await o.appendDaemonCommandAndCrash('monitor', { type: 'CreateDaemon', data: createRequest('monitor') });
      await finished(latestDeployment(created)!.deploymentId);
      await caughtUp(replica);

      // A replica whose ack is lost holds the subscription on the next event (as one that died holding it would,
      // for the ack wait); later events wait behind it, while commands go on being served.
      const lossy = await o.start('lost');
      await replica.stop();
      await o.send(Subjects.orchestrator.registerDaemonTaskDefinition, { family: 'agent', containerDefinitions: [{ name: 'agent', image: 'agent:2' }] });
      await eventually(() => expect(lossy.deliveries.filter((d) => d.subscription === ORCHESTRATOR_SUBSCRIPTION).length).toBeGreaterThanOrEqual(2), {
        what: 'the lossy replica holding the subscription',
      });
      // Two UpdateDaemons whose processes died after their own append, before opening their deployments ...
      const d1 = randomIds.deploymentId();
      const d2 = randomIds.deploymentId();
      await o.appendDaemonCommandAndCrash('monitor', { type: 'UpdateDaemon', data: revisionRequest('monitor', arn('daemon-task-definition/agent:2'), d1) });
      await o.appendDaemonCommandAndCrash('monitor', { type: 'UpdateDaemon', data: revisionRequest('monitor', arn('daemon-task-definition/agent:2'), d2) });
      // ... then a DeleteDaemon, served to the end: its deployment opens, superseding both.
      const deleted = await o.send(Subjects.orchestrator.deleteDaemon, { daemonArn: arn('daemon/prod/monitor') });
      const deletion = deleted.result.deploymentArn.split('/').at(-1)!;
      expect((await o.events(Streams.daemonDeployment(deletion))).map((e) => e.type)).toContain('DeploymentCreated');

      // Now the reactions to the two revisions arrive, late: after the deletion's deployment opened.
      replica = await o.start('kept');
      await lossy.stop();
      await finished(deletion);
      await eventually(async () => expect((await daemonState('monitor')).status).toBe('REMOVED'), { what: 'the daemon removed' });
      await caughtUp(replica);
      expect(reactionsTo(replica, await revisionEventOf(d1))).toBe(1);
      expect(reactionsTo(replica, await revisionEventOf(d2))).toBe(1);

      // Neither superseded deployment ever ran: each was recorded stopped, superseded, in the append that opened it.
      for (const [superseded, by] of [[d1, d2], [d2, deletion]]) {
        const events = await o.events(Streams.daemonDeployment(superseded));
        expect(events.map((e) => e.type), `deployment ${superseded}`).toEqual(['DeploymentCreated', 'DeploymentStopped']);
        expect(fold(deploymentDecider, events as unknown as DeploymentEvent[])).toMatchObject({
          status: 'STOPPED',
          stopReason: 'SUPERSEDED',
          startedAt: null,
          statusReason: supersededStatusReason(arn(`daemon-deployment/prod/monitor/${by}`)),
        });
      }
      // The deletion was never reconciled next to another unfinished deployment of the daemon.
      const deletionEvents = (await o.events(Streams.daemonDeployment(deletion))).map((e) => e.type);
      expect(deletionEvents.at(0)).toBe('DeploymentCreated');
      expect(deletionEvents.at(-1)).toBe('DeploymentSucceeded');
      expect(duplicatedTypes(await o.events(Streams.daemonDeployment(deletion)))).toEqual([]);
    });

    // Helpers last.

    function createRequest(daemonName: string) {
      return { ...revisionRequest(daemonName, arn('daemon-task-definition/agent:1'), randomIds.deploymentId()), clusterExists: true, tags: [], clientToken: null, requestFingerprint: 'test' };
    }

    function daemonStream(daemonName: string): string {
      return Streams.daemon(scope, 'prod', daemonName);
    }

    async function daemonState(daemonName: string) {
      return fold(daemonDecider, (await o.events(daemonStream(daemonName))) as never);
    }

    async function revisionEventOf(deploymentId: string): Promise<RecordedEvent> {
      return (await o.events(daemonStream('monitor'))).find((e) => e.type === 'DaemonRevisionCreated' && (e.data as { deploymentId: string }).deploymentId === deploymentId)!;
    }

    /** How many times the replica's durable subscription (the reactions) was handed the event. */
    function reactionsTo(replica: OrchestratorReplica, event: RecordedEvent): number {
      return replica.deliveries.filter((d) => d.subscription === ORCHESTRATOR_SUBSCRIPTION && d.event.metadata.eventId === event.metadata.eventId).length;
    }

    /** The events the replica's durable subscription was handed more than once. */
    function handledTwice(replica: OrchestratorReplica): string[] {
      const reactions = replica.deliveries.filter((d) => d.subscription === ORCHESTRATOR_SUBSCRIPTION).map((d) => `${d.event.type}@${d.event.globalPosition}`);
      return reactions.filter((key, index) => reactions.indexOf(key) !== index);
    }

    /** Resolves once the replica's durable subscription has been handed the last event of the store. */
    async function caughtUp(replica: OrchestratorReplica): Promise<void> {
      const head = await o.store.headPosition();
      await eventually(
        () => expect(Math.max(0, ...replica.deliveries.filter((d) => d.subscription === ORCHESTRATOR_SUBSCRIPTION).map((d) => d.event.globalPosition))).toBe(head),
        { what: 'the reactions caught up' },
      );
    }

    function finished(deploymentId: string): Promise<DeploymentState> {
      return eventually(
        async () => {
          const state = fold(deploymentDecider, (await o.events(Streams.daemonDeployment(deploymentId))) as unknown as DeploymentEvent[]);
          if (state.status !== 'SUCCESSFUL' && state.status !== 'STOPPED') throw new Error(`deployment ${deploymentId} is ${state.status}`);
          return state;
        },
        { timeoutMs: 15_000, what: `deployment ${deploymentId} to finish` },
      );
    }

    /** Event types a stream holds more than once, other than those a rollout repeats by nature. */
    function duplicatedTypes(events: readonly RecordedEvent[]): string[] {
      const once = new Set(['DeploymentCreated', 'DeploymentStarted', 'DeploymentSucceeded', 'DeploymentStopped', 'DeploymentBakeStarted']);
      const types = events.map((e) => e.type).filter((type) => once.has(type));
      return types.filter((type, index) => types.indexOf(type) !== index);
    }
  },
  { needsBinary: true },
);
