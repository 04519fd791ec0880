import { expect, it } from 'vitest';
import { ECS_TARGET, postAws } from './aws/aws-raw-client.js';
import { FleetWorld } from './fleet-world.js';
import type { SystemUnderTest } from './first-flow.scenario.js';
import type { Json } from './http-client.js';
import { expectStatesAgreeWithSamples, replayedEvents, sampleDescribe } from './replay-checks.js';
import { readEventStream } from './sse-client.js';

/**
 * Replay and time travel (issue: replay) over HTTP against the whole system: a breaker rollback rebuilt at every
 * version is what DescribeDaemonDeployments answered while it ran; its events page, filter and read as sentences;
 * the global feed; a live watch over server-sent events that resumes with Last-Event-ID.
 */
export function replayScenarios(system: () => SystemUnderTest): void {
  let worlds = 0;
  const world = async () => {
    const { client, store } = system();
    const created = new FleetWorld(client, store, `replay${++worlds}`);
    await created.create();
    return created;
  };
  const settings = (w: FleetWorld, revision: number, extra: Json = {}) => ({
    daemonTaskDefinitionArn: `${w.cluster}-agent:${revision}`,
    capacityProviderArns: [w.provider()],
    ...extra,
  });
  /** 6 instances on revision 1, then an update to revision 2 whose image always fails to start: a breaker rollback. */
  const breakerRollback = async (w: FleetWorld) => {
    await w.service('web', 6);
    const first = await w.createDaemon('agent', settings(w, 1, { deploymentConfiguration: { drainPercent: 50 } }));
    await w.watch(first.deploymentId, 'SUCCESSFUL');
    const fault = await w.fault(2, 1);
    const update = await w.updateDaemon('agent', settings(w, 2, { deploymentConfiguration: { drainPercent: 50 } }));
    return { deploymentId: update.deploymentId, removeFault: () => w.removeFault(fault) };
  };

  it('rebuilds a breaker rollback at each version exactly as DescribeDaemonDeployments answered at that version while it ran', async () => {
    const w = await world();
    const { deploymentId, removeFault } = await breakerRollback(w);
    const samples = await sampleDescribe(w, deploymentId, 'ROLLBACK_SUCCESSFUL');
    await removeFault();

    const statuses = new Set(samples.map((s) => s.daemonDeployment.status));
    expect([...statuses]).toEqual(expect.arrayContaining(['IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']));
    expect(new Set(samples.map((s) => s.version)).size).toBeGreaterThanOrEqual(5);
    await expectStatesAgreeWithSamples(w, deploymentId, samples);
    // The same shape as the ECS protocol's DescribeDaemonDeployments, field for field.
    const final = samples.at(-1)!.daemonDeployment;
    const described = await postAws(w.client.baseUrl, ECS_TARGET('DescribeDaemonDeployments'), JSON.stringify({ daemonDeploymentArns: [final.daemonDeploymentArn] }));
    expect(described.body).toEqual({ daemonDeployments: [(await w.client.get(`/v1/deployments/${deploymentId}/state`)).body.daemonDeployment], failures: [] });

    // Every version rebuilds, and the counts it shows move through the rollout and back.
    const events = await replayedEvents(w, deploymentId);
    expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
    for (const event of events) {
      const { body } = await w.client.get(`/v1/deployments/${deploymentId}/state?atVersion=${event.version}`);
      expect(body.daemonDeployment).toEqual(event.daemonDeployment);
    }
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['DeploymentCountsObserved', 'CircuitBreakerFailuresRecorded', 'DeploymentStopRequested', 'DeploymentRollbackStarted', 'DeploymentRolledBack']));
    expect(events.find((e) => e.type === 'DeploymentStopRequested').summary).toMatch(/^Stop requested, no further batch: The circuit breaker stopped the deployment: \d+ daemon task starts of the target revision failed \(threshold 10\)\./);
    expect(events.find((e) => e.type === 'DeploymentRollbackStarted').summary).toMatch(/^Rollback started towards revision \S+ on replay\d+-mi, at most 3 at a time: The circuit breaker initiated the rollback/);
    expect(events.at(-1)).toMatchObject({ type: 'DeploymentRolledBack', progress: { phase: 'finished', instancesOnTarget: 6 } });
  });

  it('lists the events of a deployment in order, paged, by type and by version range, each with its ids and schema version', async () => {
    const w = await world();
    await w.service('web', 4);
    const { deploymentId } = await w.createDaemon('agent', settings(w, 1, { deploymentConfiguration: { drainPercent: 50 } }));
    await w.watch(deploymentId, 'SUCCESSFUL');

    const all = await replayedEvents(w, deploymentId, 'maxResults=3');
    expect(all.map((e) => e.version)).toEqual(all.map((_, i) => i + 1));
    expect(all.map((e) => e.position)).toEqual([...all.map((e) => e.position)].sort((a, b) => a - b));
    expect(all[0]).toMatchObject({ type: 'DeploymentCreated', schemaVersion: 1, correlationId: expect.any(String), eventId: expect.any(String) });
    expect(all[1]).toMatchObject({ type: 'DeploymentStarted', schemaVersion: 2 });
    expect(all.every((e) => e.correlationId === all[0].correlationId && typeof e.occurredAt === 'number' && typeof e.summary === 'string')).toBe(true);
    expect(all.at(-1).type).toBe('DeploymentSucceeded');

    const drains = await replayedEvents(w, deploymentId, 'type=InstanceDrainsRequested&type=InstancesReplaced&maxResults=1');
    expect(drains.map((e) => e.type)).toEqual(['InstanceDrainsRequested', 'InstancesReplaced', 'InstanceDrainsRequested', 'InstancesReplaced']);
    expect(drains.map((e) => e.summary)).toEqual([
      expect.stringMatching(/^Batch 1 of 2: drain 2 instances and replace each with one running revision \S+ \(the first batch\): i-\w+, i-\w+\.$/),
      expect.stringMatching(/^Batch 1 done: each drained instance is gone and its replacement runs revision \S+: i-\w+ → i-\w+, i-\w+ → i-\w+\.$/),
      expect.stringMatching(/^Batch 2 of 2: drain 2 instances .*\(the previous batch is replaced\)/),
      expect.stringMatching(/^Batch 2 done/),
    ]);
    const range = await w.client.get(`/v1/deployments/${deploymentId}/events?fromVersion=2&toVersion=4`);
    expect(range.body.events.map((e: Json) => e.version)).toEqual([2, 3, 4]);
    expect(range.body.events[0].daemonDeployment).toBeUndefined();

    const refused = await w.client.get(`/v1/deployments/${deploymentId}/events?type=SomethingElse`);
    expect(refused).toMatchObject({ status: 400, body: { __type: 'InvalidParameterException' } });
    const forged = await w.client.get(`/v1/deployments/${deploymentId}/events?maxResults=1&nextToken=forged.token`);
    expect(forged).toMatchObject({ status: 400, body: { __type: 'InvalidParameterException' } });
    const beyond = await w.client.get(`/v1/deployments/${deploymentId}/state?atVersion=${all.length + 1}`);
    expect(beyond).toMatchObject({ status: 400, body: { __type: 'InvalidParameterException', message: expect.stringContaining(`version ${all.length}`) } });
    for (const path of ['events', 'state', 'watch'])
      expect(await w.client.get(`/v1/deployments/AAAAAAAAAAAAAAAA/${path}`)).toMatchObject({ status: 404, body: { __type: 'ClientException' } });
  });

  it('pages through the global feed of every stream from a position, in order, and by category', async () => {
    const w = await world();
    const { deploymentId } = await w.createDaemon('agent', settings(w, 1));
    await w.watch(deploymentId, 'SUCCESSFUL');
    const deployment = await replayedEvents(w, deploymentId, 'maxResults=100');

    const feed: Json[] = [];
    let from = deployment[0].position;
    for (let page = 0; page < 1000; page++) {
      const { body } = await w.client.get(`/v1/events?fromPosition=${from}&maxResults=5&category=daemonDeployment&category=daemon`);
      expect(body.headPosition).toBeGreaterThanOrEqual(body.events.at(-1)?.position ?? 0);
      if (body.events.length === 0) break;
      feed.push(...body.events);
      from = body.nextPosition;
    }
    expect(feed.every((e) => e.streamId.startsWith('daemonDeployment-') || e.streamId.startsWith('daemon-'))).toBe(true);
    const positions = feed.map((e) => e.position);
    expect(positions).toEqual([...new Set(positions)].sort((a, b) => a - b));
    const ofDeployment = feed.filter((e) => e.streamId === `daemonDeployment-${deploymentId}`);
    expect(ofDeployment.map((e) => [e.version, e.position, e.type])).toEqual(deployment.map((e) => [e.version, e.position, e.type]));
    expect((await w.client.get('/v1/events?category=Not-A-Category')).status).toBe(400);
  });

  it('follows a live deployment over server-sent events until it finishes, and resumes after Last-Event-ID', async () => {
    const w = await world();
    await w.service('web', 4);
    const first = await w.createDaemon('agent', settings(w, 1, { deploymentConfiguration: { drainPercent: 25 } }));
    const url = `${w.client.baseUrl}/v1/deployments/${first.deploymentId}/watch`;
    const live = await readEventStream(url);

    const messages = live.filter((m) => m.event === 'message').map((m) => ({ id: m.id, ...JSON.parse(m.data) }));
    expect(messages.map((m) => Number(m.id))).toEqual(messages.map((_, i) => i + 1));
    expect(messages.map((m) => m.version)).toEqual(messages.map((_, i) => i + 1));
    expect(live.at(-1)).toMatchObject({ event: 'end' });
    expect(JSON.parse(live.at(-1)!.data)).toEqual({ version: messages.length, status: 'SUCCESSFUL' });
    expect(messages.at(-1).daemonDeployment).toEqual(await w.deployment(first.deploymentId));
    expect(messages.map((m) => m.progress.phase)).toEqual(expect.arrayContaining(['pending', 'rolling out', 'finished']));

    const resumed = await readEventStream(url, { lastEventId: String(messages.length - 2) });
    expect(resumed.map((m) => m.id ?? m.event)).toEqual([String(messages.length - 1), String(messages.length), 'end']);
  });
}
