import {
  CreateDaemonCommand,
  DeleteDaemonCommand,
  DeleteDaemonTaskDefinitionCommand,
  DescribeContainerInstancesCommand,
  DescribeDaemonCommand,
  DescribeDaemonDeploymentsCommand,
  DescribeDaemonRevisionsCommand,
  DescribeDaemonTaskDefinitionCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListDaemonDeploymentsCommand,
  ListDaemonsCommand,
  ListDaemonTaskDefinitionsCommand,
  ListTasksCommand,
  UpdateDaemonCommand,
  waitUntilDaemonActive,
  waitUntilDaemonDeploymentStopped,
  waitUntilDaemonDeploymentSuccessful,
  waitUntilDaemonTaskDefinitionActive,
  waitUntilDaemonTaskDefinitionDeleted,
} from '@aws-sdk/client-ecs';
import { expect, it } from 'vitest';
import type { EcsSystem } from './ecs-system.js';
import { fastWaiter, failureOf } from './ecs-client.js';
import { arn, EcsWorld } from './ecs-world.js';

/**
 * A daemon's whole life through the official ECS client and its waiters: created on a provider whose service brought
 * instances, rolled out, updated (a superseded deployment stops), deleted. Asserted through the same client.
 */
export function ecsDaemonLifecycleScenarios(system: () => EcsSystem): void {
  it('creates a daemon, waits for its deployment, and sees it on every instance', async () => {
    const { ecs } = system();
    const w = new EcsWorld(ecs, 'sdk-life');
    await w.create();
    await w.service('web', 2);

    const created = await ecs.send(
      new CreateDaemonCommand({
        daemonName: 'monitor',
        clusterArn: w.cluster,
        daemonTaskDefinitionArn: w.daemonTaskDefinition(1),
        capacityProviderArns: [w.provider],
        deploymentConfiguration: { drainPercent: 50, bakeTimeInMinutes: 0 },
        clientToken: 'sdk-life-monitor-1',
      }),
    );
    expect(created).toMatchObject({ daemonArn: w.daemonArn('monitor'), status: 'ACTIVE', deploymentArn: expect.stringContaining(':daemon-deployment/sdk-life/monitor/') });
    expect(created.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expectRecent(created.createdAt);

    await waitUntilDaemonActive(fastWaiter(ecs), { daemonArn: created.daemonArn });
    await waitUntilDaemonDeploymentSuccessful(fastWaiter(ecs), { daemonDeploymentArns: [created.deploymentArn!] });

    const { daemon } = await ecs.send(new DescribeDaemonCommand({ daemonArn: created.daemonArn }));
    expect(daemon).toMatchObject({ daemonArn: created.daemonArn, clusterArn: arn('cluster/sdk-life'), status: 'ACTIVE', deploymentArn: created.deploymentArn });
    expect(daemon?.currentRevisions).toEqual([
      expect.objectContaining({ totalRunningCount: 2, totalWithoutDaemonCount: 0, capacityProviders: [{ arn: arn(`capacity-provider/${w.provider}`), runningCount: 2, withoutDaemonCount: 0 }] }),
    ]);

    // A retry with the same token and parameters answers the first response again.
    const retried = await ecs.send(
      new CreateDaemonCommand({
        daemonName: 'monitor',
        clusterArn: w.cluster,
        daemonTaskDefinitionArn: w.daemonTaskDefinition(1),
        capacityProviderArns: [w.provider],
        deploymentConfiguration: { drainPercent: 50, bakeTimeInMinutes: 0 },
        clientToken: 'sdk-life-monitor-1',
      }),
    );
    expect({ ...retried, $metadata: undefined }).toEqual({ ...created, $metadata: undefined });

    const [deployment] = (await ecs.send(new DescribeDaemonDeploymentsCommand({ daemonDeploymentArns: [created.deploymentArn!] }))).daemonDeployments!;
    expect(deployment).toMatchObject({
      status: 'SUCCESSFUL',
      sourceDaemonRevisions: [],
      targetDaemonRevision: { totalRunningInstanceCount: 2, totalDrainingInstanceCount: 0 },
      deploymentConfiguration: { drainPercent: 50, bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false } },
    });
    expectRecent(deployment.createdAt);
    expect(deployment.finishedAt!.getTime()).toBeGreaterThanOrEqual(deployment.createdAt!.getTime());

    const { daemonRevisions, failures } = await ecs.send(
      new DescribeDaemonRevisionsCommand({ daemonRevisionArns: [deployment.targetDaemonRevision!.arn!, arn('daemon-revision/sdk-life/monitor/1')] }),
    );
    expect(daemonRevisions).toEqual([
      expect.objectContaining({ daemonArn: created.daemonArn, daemonTaskDefinitionArn: w.daemonTaskDefinition(1), critical: true, propagateTags: 'NONE' }),
    ]);
    expect(daemonRevisions![0].containerImages).toEqual([{ containerName: 'agent', image: 'public.ecr.aws/example/agent:1.0', imageDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }]);
    expect(failures).toEqual([{ arn: arn('daemon-revision/sdk-life/monitor/1'), reason: 'MISSING' }]);

    const { daemonSummariesList } = await ecs.send(new ListDaemonsCommand({ clusterArn: arn('cluster/sdk-life'), capacityProviderArns: [w.provider] }));
    expect(daemonSummariesList?.map((d) => d.daemonArn)).toEqual([created.daemonArn]);

    // The daemon's tasks, one per instance, started by daemon/<name> (decision 18), on the instances of the fleet.
    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster: w.cluster, daemonName: 'monitor' }));
    expect(taskArns).toHaveLength(2);
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: w.cluster, tasks: taskArns }));
    expect(tasks?.map((t) => [t.startedBy, t.lastStatus, t.taskDefinitionArn])).toEqual([
      ['daemon/monitor', 'RUNNING', w.daemonTaskDefinition(1)],
      ['daemon/monitor', 'RUNNING', w.daemonTaskDefinition(1)],
    ]);
    const { containerInstanceArns } = await ecs.send(new ListContainerInstancesCommand({ cluster: w.cluster, status: 'ACTIVE' }));
    expect(containerInstanceArns).toHaveLength(2);
    expect(new Set(tasks?.map((t) => t.containerInstanceArn))).toEqual(new Set(containerInstanceArns));
    const { containerInstances } = await ecs.send(new DescribeContainerInstancesCommand({ cluster: w.cluster, containerInstances: containerInstanceArns }));
    expect(containerInstances?.map((i) => [i.status, i.capacityProviderName, i.runningTasksCount, i.healthStatus?.overallStatus])).toEqual([
      ['ACTIVE', w.provider, 2, 'OK'],
      ['ACTIVE', w.provider, 2, 'OK'],
    ]);
  });

  it('updates the daemon (every setting replaced), stops a superseded deployment, and deletes the daemon', async () => {
    const { ecs } = system();
    const w = new EcsWorld(ecs, 'sdk-update');
    await w.create();
    await w.service('web', 2);
    const created = await ecs.send(
      new CreateDaemonCommand({
        daemonName: 'monitor',
        clusterArn: w.cluster,
        daemonTaskDefinitionArn: w.daemonTaskDefinition(1),
        capacityProviderArns: [w.provider],
        critical: false,
        deploymentConfiguration: { drainPercent: 100 },
      }),
    );
    await waitUntilDaemonDeploymentSuccessful(fastWaiter(ecs), { daemonDeploymentArns: [created.deploymentArn!] });

    // Revision 2 must cycle the instances; revision 3, asked for at once, supersedes it (STOPPED).
    const second = await ecs.send(new UpdateDaemonCommand({ daemonArn: created.daemonArn, daemonTaskDefinitionArn: w.daemonTaskDefinition(2), capacityProviderArns: [w.provider] }));
    const third = await ecs.send(
      new UpdateDaemonCommand({
        daemonArn: created.daemonArn,
        daemonTaskDefinitionArn: w.daemonTaskDefinition(3),
        capacityProviderArns: [arn(`capacity-provider/${w.provider}`)],
        deploymentConfiguration: { drainPercent: 50 },
      }),
    );
    expect(third).toMatchObject({ daemonArn: created.daemonArn, status: 'ACTIVE' });
    expect(third.updatedAt!.getTime()).toBeGreaterThanOrEqual(third.createdAt!.getTime());
    await waitUntilDaemonDeploymentStopped(fastWaiter(ecs), { daemonDeploymentArns: [second.deploymentArn!] });
    await waitUntilDaemonDeploymentSuccessful(fastWaiter(ecs), { daemonDeploymentArns: [third.deploymentArn!] });

    // The update replaced every setting: critical, left out, is back to its default.
    const [latest] = (await ecs.send(new DescribeDaemonDeploymentsCommand({ daemonDeploymentArns: [third.deploymentArn!] }))).daemonDeployments!;
    const { daemonRevisions } = await ecs.send(new DescribeDaemonRevisionsCommand({ daemonRevisionArns: [latest.targetDaemonRevision!.arn!] }));
    expect(daemonRevisions![0]).toMatchObject({ daemonTaskDefinitionArn: w.daemonTaskDefinition(3), critical: true });
    expect(latest.deploymentConfiguration).toMatchObject({ drainPercent: 50, bakeTimeInMinutes: 0 });

    // Newest first; filtered by status and creation time; paged by one with a token.
    const all = await ecs.send(new ListDaemonDeploymentsCommand({ daemonArn: created.daemonArn }));
    expect(all.daemonDeployments?.map((d) => d.daemonDeploymentArn)).toEqual([third.deploymentArn, second.deploymentArn, created.deploymentArn]);
    const stopped = await ecs.send(new ListDaemonDeploymentsCommand({ daemonArn: created.daemonArn, status: ['STOPPED'] }));
    expect(stopped.daemonDeployments).toEqual([expect.objectContaining({ daemonDeploymentArn: second.deploymentArn, status: 'STOPPED', daemonArn: created.daemonArn })]);
    const recent = await ecs.send(new ListDaemonDeploymentsCommand({ daemonArn: created.daemonArn, createdAt: { after: all.daemonDeployments![1].createdAt } }));
    expect(recent.daemonDeployments?.map((d) => d.daemonDeploymentArn)).toEqual([third.deploymentArn]);
    const first = await ecs.send(new ListDaemonDeploymentsCommand({ daemonArn: created.daemonArn, maxResults: 1 }));
    const next = await ecs.send(new ListDaemonDeploymentsCommand({ daemonArn: created.daemonArn, maxResults: 1, nextToken: first.nextToken }));
    expect([first.daemonDeployments?.[0].daemonDeploymentArn, next.daemonDeployments?.[0].daemonDeploymentArn]).toEqual([third.deploymentArn, second.deploymentArn]);

    const deleted = await ecs.send(new DeleteDaemonCommand({ daemonArn: created.daemonArn }));
    expect(deleted).toMatchObject({ daemonArn: created.daemonArn, status: 'DELETE_IN_PROGRESS' });
    // While it is being deleted, the daemon is not active: the waiter fails at once.
    await expect(waitUntilDaemonActive(fastWaiter(ecs), { daemonArn: created.daemonArn })).rejects.toThrow(/FAILURE/);
    await waitUntilDaemonDeploymentSuccessful(fastWaiter(ecs), { daemonDeploymentArns: [deleted.deploymentArn!] });
    expect((await failureOf(ecs.send(new DescribeDaemonCommand({ daemonArn: created.daemonArn })))).name).toBe('DaemonNotFoundException');
    expect((await ecs.send(new ListTasksCommand({ cluster: w.cluster, daemonName: 'monitor' }))).taskArns).toEqual([]);
    // Its history still answers (decision 7).
    expect((await ecs.send(new ListDaemonDeploymentsCommand({ daemonArn: created.daemonArn }))).daemonDeployments).toHaveLength(4);
  });

  it('lists, describes and deletes daemon task definitions', async () => {
    const { ecs } = system();
    const w = new EcsWorld(ecs, 'sdk-dtd');
    await w.create();
    const { daemonTaskDefinition } = await ecs.send(new DescribeDaemonTaskDefinitionCommand({ daemonTaskDefinition: w.agentFamily }));
    expect(daemonTaskDefinition).toMatchObject({ daemonTaskDefinitionArn: w.daemonTaskDefinition(3), family: w.agentFamily, revision: 3, status: 'ACTIVE', cpu: '256', memory: '512' });
    expect(daemonTaskDefinition?.registeredBy).toBe(`arn:aws:iam::000000000000:user/daemonfleet`);
    expectRecent(daemonTaskDefinition?.registeredAt);

    const firstPage = await ecs.send(new ListDaemonTaskDefinitionsCommand({ familyPrefix: 'sdk-dtd', sort: 'DESC', maxResults: 2 }));
    expect(firstPage.daemonTaskDefinitions?.map((d) => d.arn)).toEqual([w.daemonTaskDefinition(3), w.daemonTaskDefinition(2)]);
    const secondPage = await ecs.send(new ListDaemonTaskDefinitionsCommand({ familyPrefix: 'sdk-dtd', sort: 'DESC', maxResults: 2, nextToken: firstPage.nextToken }));
    expect(secondPage.daemonTaskDefinitions).toEqual([expect.objectContaining({ arn: w.daemonTaskDefinition(1), status: 'ACTIVE' })]);
    expect(secondPage.nextToken).toBeUndefined();

    await waitUntilDaemonTaskDefinitionActive(fastWaiter(ecs), { daemonTaskDefinition: `${w.agentFamily}:1` });
    const deleted = await ecs.send(new DeleteDaemonTaskDefinitionCommand({ daemonTaskDefinition: `${w.agentFamily}:1` }));
    expect(deleted.daemonTaskDefinitionArn).toBe(w.daemonTaskDefinition(1));
    // No daemon uses it: it goes DELETED (spec 1.5), which its waiter sees; the active one now fails at once.
    await waitUntilDaemonTaskDefinitionDeleted(fastWaiter(ecs), { daemonTaskDefinition: w.daemonTaskDefinition(1) });
    await expect(waitUntilDaemonTaskDefinitionActive(fastWaiter(ecs), { daemonTaskDefinition: w.daemonTaskDefinition(1) })).rejects.toThrow(/FAILURE/);
    const { daemonTaskDefinition: gone } = await ecs.send(new DescribeDaemonTaskDefinitionCommand({ daemonTaskDefinition: w.daemonTaskDefinition(1) }));
    expect(gone?.status).toBe('DELETED');
    expectRecent(gone?.deleteRequestedAt);
    const active = await ecs.send(new ListDaemonTaskDefinitionsCommand({ family: w.agentFamily }));
    expect(active.daemonTaskDefinitions?.map((d) => d.arn)).toEqual([w.daemonTaskDefinition(2), w.daemonTaskDefinition(3)]);
  });
}

/** A timestamp the SDK parsed from epoch seconds: a Date of the last minutes. */
function expectRecent(time: Date | undefined): void {
  expect(time).toBeInstanceOf(Date);
  expect(Math.abs(Date.now() - time!.getTime())).toBeLessThan(120_000);
}
