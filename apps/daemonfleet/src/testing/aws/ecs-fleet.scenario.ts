import {
  CreateClusterCommand,
  CreateDaemonCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTasksCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilDaemonDeploymentSuccessful,
} from '@aws-sdk/client-ecs';
import { eventually } from '@daemonfleet/testing';
import { expect, it } from 'vitest';
import { ecsClient, fastWaiter, failureOf } from './ecs-client.js';
import type { EcsSystem } from './ecs-system.js';
import { arn, EcsWorld } from './ecs-world.js';

/**
 * Clusters, capacity providers, application task definitions, services, container instances and tasks through the
 * official ECS client, and the account and region each request is signed for.
 */
export function ecsFleetScenarios(system: () => EcsSystem): void {
  it('creates, describes, lists and deletes clusters; a cluster that holds something is kept', async () => {
    const { ecs } = system();
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'sdk-empty', tags: [{ key: 'env', value: 'test' }] }));
    expect(cluster).toMatchObject({ clusterArn: arn('cluster/sdk-empty'), clusterName: 'sdk-empty', status: 'ACTIVE', capacityProviders: [], registeredContainerInstancesCount: 0, tags: [{ key: 'env', value: 'test' }] });
    const w = new EcsWorld(ecs, 'sdk-fleet');
    await w.create();

    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['sdk-empty', arn('cluster/sdk-fleet'), 'sdk-nowhere'], include: ['TAGS'] }));
    expect(described.clusters?.map((c) => [c.clusterName, c.status, c.capacityProviders])).toEqual([
      ['sdk-empty', 'ACTIVE', []],
      ['sdk-fleet', 'ACTIVE', [w.provider]],
    ]);
    expect(described.failures).toEqual([{ arn: arn('cluster/sdk-nowhere'), reason: 'MISSING' }]);

    const listed = await ecs.send(new ListClustersCommand({}));
    expect(listed.clusterArns).toEqual(expect.arrayContaining([arn('cluster/sdk-empty'), arn('cluster/sdk-fleet')]));
    const paged = await ecs.send(new ListClustersCommand({ maxResults: 1 }));
    expect(paged.clusterArns).toHaveLength(1);
    const rest = await ecs.send(new ListClustersCommand({ maxResults: 100, nextToken: paged.nextToken }));
    expect([...paged.clusterArns!, ...rest.clusterArns!]).toEqual(listed.clusterArns);

    const deleted = await ecs.send(new DeleteClusterCommand({ cluster: 'sdk-empty' }));
    expect(deleted.cluster).toMatchObject({ clusterArn: arn('cluster/sdk-empty'), status: 'INACTIVE' });
    expect((await ecs.send(new DescribeClustersCommand({ clusters: ['sdk-empty'] }))).clusters?.[0].status).toBe('INACTIVE');
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).not.toContain(arn('cluster/sdk-empty'));
    expect((await failureOf(ecs.send(new DeleteClusterCommand({ cluster: 'sdk-empty' })))).name).toBe('ClusterNotFoundException');
    expect((await failureOf(ecs.send(new CreateServiceCommand({ serviceName: 's', cluster: 'sdk-empty', taskDefinition: 'sdk-fleet-web:1', desiredCount: 0, capacityProviderStrategy: [{ capacityProvider: w.provider, weight: 1 }] })))).name).toBe('ClusterNotFoundException');
    // A deleted cluster's name can be used again.
    expect((await ecs.send(new CreateClusterCommand({ clusterName: 'sdk-empty' }))).cluster?.status).toBe('ACTIVE');

    expect((await failureOf(ecs.send(new DeleteClusterCommand({ cluster: w.cluster })))).name).toBe('ClusterContainsCapacityProviderException');
    await w.service('held', 1);
    expect((await failureOf(ecs.send(new DeleteClusterCommand({ cluster: w.cluster })))).name).toBe('ClusterContainsServicesException');
    await ecs.send(new DeleteServiceCommand({ cluster: w.cluster, service: 'held', force: true }));
    await eventually(async () => expect((await ecs.send(new DescribeServicesCommand({ cluster: w.cluster, services: ['held'] }))).services?.[0].status).toBe('INACTIVE'), {
      timeoutMs: 30_000,
    });
    // Its instance stays until something drains it: the cluster still holds it.
    expect((await failureOf(ecs.send(new DeleteClusterCommand({ cluster: w.cluster })))).name).toBe('ClusterContainsContainerInstancesException');
  });

  it('describes capacity providers and accepts only a cluster’s own Managed Instances providers in PutClusterCapacityProviders', async () => {
    const { ecs } = system();
    const w = new EcsWorld(ecs, 'sdk-cp');
    await w.create();
    const named = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: [w.provider, 'sdk-cp-none'], include: ['TAGS'] }));
    expect(named.capacityProviders).toEqual([
      expect.objectContaining({ capacityProviderArn: arn(`capacity-provider/${w.provider}`), name: w.provider, status: 'ACTIVE', type: 'MANAGED_INSTANCES', cluster: w.cluster }),
    ]);
    expect(named.capacityProviders?.[0].managedInstancesProvider?.instanceLaunchTemplate?.ec2InstanceProfileArn).toContain('ecsInstanceProfile');
    expect(named.failures).toEqual([{ arn: 'sdk-cp-none', reason: 'MISSING' }]);
    const ofCluster = await ecs.send(new DescribeCapacityProvidersCommand({ cluster: w.cluster }));
    expect(ofCluster.capacityProviders?.map((p) => p.name)).toEqual([w.provider]);
    const firstPage = await ecs.send(new DescribeCapacityProvidersCommand({ maxResults: 1 }));
    expect(firstPage.capacityProviders).toHaveLength(1);
    expect(firstPage.nextToken).toEqual(expect.any(String));

    const put = await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: w.cluster, capacityProviders: [w.provider], defaultCapacityProviderStrategy: [] }));
    expect(put.cluster).toMatchObject({ clusterName: w.cluster, capacityProviders: [w.provider] });
    const refusals = [
      { cluster: w.cluster, capacityProviders: [w.provider, 'sdk-cp-none'], defaultCapacityProviderStrategy: [] },
      { cluster: w.cluster, capacityProviders: [], defaultCapacityProviderStrategy: [] },
      { cluster: w.cluster, capacityProviders: [w.provider], defaultCapacityProviderStrategy: [{ capacityProvider: w.provider, weight: 1 }] },
    ];
    for (const input of refusals) expect((await failureOf(ecs.send(new PutClusterCapacityProvidersCommand(input))))).toMatchObject({ name: 'InvalidParameterException' });
    expect((await failureOf(ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'sdk-cp-nowhere', capacityProviders: [], defaultCapacityProviderStrategy: [] })))).name).toBe('ClusterNotFoundException');
  });

  it('runs a service: instances come, tasks run; updates its desired count, lists and describes what runs, deletes it', async () => {
    const { ecs } = system();
    const w = new EcsWorld(ecs, 'sdk-svc');
    await w.create();
    const registered = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'sdk-svc-api', containerDefinitions: [{ name: 'api', image: 'api:1', memory: 128 }], tags: [{ key: 'k', value: 'v' }] }));
    expect(registered.taskDefinition).toMatchObject({ taskDefinitionArn: arn('task-definition/sdk-svc-api:1'), family: 'sdk-svc-api', revision: 1, status: 'ACTIVE' });
    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'sdk-svc-api', include: ['TAGS'] }));
    expect(described).toMatchObject({ taskDefinition: { revision: 1 }, tags: [{ key: 'k', value: 'v' }] });
    expect((await failureOf(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'sdk-svc-none' })))).name).toBe('ClientException');

    const created = await ecs.send(
      new CreateServiceCommand({ serviceName: 'api', cluster: w.cluster, taskDefinition: 'sdk-svc-api:1', desiredCount: 2, capacityProviderStrategy: [{ capacityProvider: w.provider, weight: 1 }] }),
    );
    expect(created.service).toMatchObject({ serviceArn: arn('service/sdk-svc/api'), status: 'ACTIVE', desiredCount: 2, schedulingStrategy: 'REPLICA' });
    await w.serviceSteady('api', 2);
    const updated = await ecs.send(new UpdateServiceCommand({ cluster: w.cluster, service: 'api', desiredCount: 3 }));
    expect(updated.service?.desiredCount).toBe(3);
    await w.serviceSteady('api', 3);
    expect((await failureOf(ecs.send(new UpdateServiceCommand({ cluster: w.cluster, service: 'none', desiredCount: 1 })))).name).toBe('ServiceNotFoundException');

    const services = await ecs.send(new DescribeServicesCommand({ cluster: w.cluster, services: ['api', arn('service/sdk-svc/none')] }));
    expect(services.services?.map((s) => [s.serviceName, s.runningCount])).toEqual([['api', 3]]);
    expect(services.failures).toEqual([{ arn: arn('service/sdk-svc/none'), reason: 'MISSING' }]);
    expect((await ecs.send(new ListServicesCommand({ cluster: w.cluster }))).serviceArns).toEqual([arn('service/sdk-svc/api')]);

    const { containerInstanceArns } = await ecs.send(new ListContainerInstancesCommand({ cluster: w.cluster }));
    expect(containerInstanceArns).toHaveLength(3);
    const instances = await ecs.send(new DescribeContainerInstancesCommand({ cluster: w.cluster, containerInstances: [containerInstanceArns![0], 'i-00000000000000000'] }));
    expect(instances.containerInstances?.[0]).toMatchObject({ containerInstanceArn: containerInstanceArns![0], status: 'ACTIVE', runningTasksCount: 1 });
    expectRecentDate(instances.containerInstances?.[0].registeredAt);
    expect(instances.failures).toEqual([{ arn: 'i-00000000000000000', reason: 'MISSING' }]);

    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster: w.cluster, serviceName: 'api' }));
    expect(taskArns).toHaveLength(3);
    const paged = await ecs.send(new ListTasksCommand({ cluster: w.cluster, serviceName: 'api', maxResults: 2 }));
    const rest = await ecs.send(new ListTasksCommand({ cluster: w.cluster, serviceName: 'api', maxResults: 2, nextToken: paged.nextToken }));
    expect([...paged.taskArns!, ...rest.taskArns!]).toEqual(taskArns);
    const onOne = await ecs.send(new ListTasksCommand({ cluster: w.cluster, containerInstance: containerInstanceArns![0] }));
    expect(onOne.taskArns).toHaveLength(1);
    const { tasks, failures } = await ecs.send(new DescribeTasksCommand({ cluster: w.cluster, tasks: [taskArns![0], 'no-such-task'] }));
    expect(tasks?.[0]).toMatchObject({ taskArn: taskArns![0], lastStatus: 'RUNNING', startedBy: 'ecs-svc/api', taskDefinitionArn: arn('task-definition/sdk-svc-api:1'), launchType: 'MANAGED_INSTANCES' });
    expectRecentDate(tasks?.[0].startedAt);
    expect(failures).toEqual([{ arn: arn('task/sdk-svc/no-such-task'), reason: 'MISSING' }]);
    expect((await ecs.send(new ListTasksCommand({ cluster: w.cluster, desiredStatus: 'STOPPED' }))).taskArns).toEqual([]);

    // As ECS: a service that still wants tasks is deleted only with force.
    expect((await failureOf(ecs.send(new DeleteServiceCommand({ cluster: w.cluster, service: 'api' })))).name).toBe('InvalidParameterException');
    await ecs.send(new UpdateServiceCommand({ cluster: w.cluster, service: 'api', desiredCount: 0 }));
    const deleted = await ecs.send(new DeleteServiceCommand({ cluster: w.cluster, service: 'api' }));
    expect(['DRAINING', 'INACTIVE']).toContain(deleted.service?.status);
  });

  it('acts in the account and region of the credential scope', async () => {
    const { url, ecs } = system();
    const paris = ecsClient(url, { region: 'eu-west-3', accessKeyId: '123456789012' });
    try {
      const { cluster } = await paris.send(new CreateClusterCommand({ clusterName: 'sdk-scoped' }));
      expect(cluster?.clusterArn).toBe('arn:aws:ecs:eu-west-3:123456789012:cluster/sdk-scoped');
      expect((await paris.send(new ListClustersCommand({}))).clusterArns).toEqual(['arn:aws:ecs:eu-west-3:123456789012:cluster/sdk-scoped']);
      expect((await ecs.send(new ListClustersCommand({}))).clusterArns).not.toContain(cluster?.clusterArn);
      expect((await ecs.send(new DescribeClustersCommand({ clusters: ['sdk-scoped'] }))).failures).toEqual([{ arn: arn('cluster/sdk-scoped'), reason: 'MISSING' }]);

      const w = new EcsWorld(paris, 'sdk-scoped');
      await w.create();
      const created = await paris.send(
        new CreateDaemonCommand({ daemonName: 'agent', clusterArn: w.cluster, daemonTaskDefinitionArn: `${w.agentFamily}:1`, capacityProviderArns: [w.provider] }),
      );
      expect(created.daemonArn).toBe('arn:aws:ecs:eu-west-3:123456789012:daemon/sdk-scoped/agent');
      await waitUntilDaemonDeploymentSuccessful(fastWaiter(paris), { daemonDeploymentArns: [created.deploymentArn!] });
    } finally {
      paris.destroy();
    }
  });
}

function expectRecentDate(time: Date | undefined): void {
  expect(time).toBeInstanceOf(Date);
  expect(Math.abs(Date.now() - time!.getTime())).toBeLessThan(120_000);
}
