import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedSuite } from './testing/embedded-suite.js';
import { deploymentFinished, prepareCluster } from './testing/first-flow.scenario.js';
import { jsonClient, type Json, type JsonClient } from './testing/http-client.js';

/** Every REST entry point validates its input: a clear error naming the field, the right status, nothing stored. */
describe('REST API input handling (embedded mode)', () => {
  const suite = embeddedSuite('daemonfleet-rest-', { LOG_LEVEL: 'silent', METRICS_PERIOD_SECONDS: '86400' });
  let client: JsonClient;

  beforeAll(async () => {
    client = jsonClient(suite.system.url);
    await prepareCluster(client, 'prod');
  });

  const provider = { infrastructureRoleArn: 'arn:aws:iam::000000000000:role/r', instanceLaunchTemplate: { ec2InstanceProfileArn: 'arn:aws:iam::000000000000:instance-profile/p' } };
  const container = { name: 'agent', image: 'agent:1' };

  it.each<[string, string, string, unknown, number, string, string]>([
    ['a cluster name with a space', 'POST', '/v1/clusters', { clusterName: 'bad name' }, 400, 'InvalidParameterException', 'clusterName'],
    ['an unknown field on a cluster', 'POST', '/v1/clusters', { clusterName: 'x', extra: 1 }, 400, 'InvalidParameterException', 'property extra should not exist'],
    ['a tag with the reserved aws: prefix', 'POST', '/v1/clusters', { clusterName: 'x', tags: [{ key: 'AWS:x', value: '' }] }, 400, 'InvalidParameterException', 'tags.0.key'],
    ['a provider name starting with ecs', 'POST', '/v1/capacity-providers', { name: 'ecsProvider', cluster: 'prod', managedInstancesProvider: provider }, 400, 'InvalidParameterException', 'must not start with aws, ecs or fargate'],
    ['a provider with no provider settings', 'POST', '/v1/capacity-providers', { name: 'empty' }, 400, 'InvalidParameterException', 'managedInstancesProvider'],
    ['a Managed Instances provider without its cluster', 'POST', '/v1/capacity-providers', { name: 'nocluster', managedInstancesProvider: provider }, 400, 'InvalidParameterException', 'cluster'],
    ['a Managed Instances provider of an unknown cluster', 'POST', '/v1/capacity-providers', { name: 'lost', cluster: 'nowhere', managedInstancesProvider: provider }, 400, 'ClusterNotFoundException', 'nowhere'],
    ['a provider name that is taken', 'POST', '/v1/capacity-providers', { name: 'prod-mi', cluster: 'prod', managedInstancesProvider: provider }, 400, 'ClientException', 'prod-mi'],
    ['a task definition without containers', 'POST', '/v1/daemon-task-definitions', { family: 'f', containerDefinitions: [] }, 400, 'InvalidParameterException', 'containerDefinitions'],
    ['a task definition without an essential container', 'POST', '/v1/daemon-task-definitions', { family: 'f', containerDefinitions: [{ ...container, essential: false }] }, 400, 'InvalidParameterException', 'essential'],
    ['port mappings, which daemons do not have', 'POST', '/v1/daemon-task-definitions', { family: 'f', containerDefinitions: [{ ...container, portMappings: [] }] }, 400, 'InvalidParameterException', 'containerDefinitions.0.portMappings'],
    ['task-level cpu as a number', 'POST', '/v1/daemon-task-definitions', { family: 'f', containerDefinitions: [container], cpu: 256 }, 400, 'InvalidParameterException', 'cpu'],
    ['a volume that is both a host mount and a log-driver volume', 'POST', '/v1/daemon-task-definitions', { family: 'f', containerDefinitions: [container], volumes: [{ name: 'v', host: { sourcePath: '/x' }, logDriverVolumeConfiguration: { driver: 'json-file' } }] }, 400, 'InvalidParameterException', 'volumes.0.logDriverVolumeConfiguration'],
    ['deleting a bare family', 'DELETE', '/v1/daemon-task-definitions/prod-agent', undefined, 400, 'InvalidParameterException', 'daemonTaskDefinition'],
    ['deleting an unknown revision', 'DELETE', '/v1/daemon-task-definitions/prod-agent:7', undefined, 400, 'ClientException', 'prod-agent:7'],
    ['a daemon without capacity providers', 'POST', '/v1/daemons', { daemonName: 'd', clusterArn: 'prod', daemonTaskDefinitionArn: 'prod-agent:1', capacityProviderArns: [] }, 400, 'InvalidParameterException', 'capacityProviderArns'],
    ['a bakeTimeInMinutes over a day', 'POST', '/v1/daemons', { daemonName: 'd', clusterArn: 'prod', daemonTaskDefinitionArn: 'prod-agent:1', capacityProviderArns: ['prod-mi'], deploymentConfiguration: { bakeTimeInMinutes: 1441 } }, 400, 'InvalidParameterException', 'deploymentConfiguration.bakeTimeInMinutes'],
    ['a clientToken over 36 characters', 'POST', '/v1/daemons', { daemonName: 'd', clusterArn: 'prod', daemonTaskDefinitionArn: 'prod-agent:1', capacityProviderArns: ['prod-mi'], clientToken: 'x'.repeat(37) }, 400, 'InvalidParameterException', 'clientToken'],
    ['a task definition reference without revision', 'POST', '/v1/daemons', { daemonName: 'd', clusterArn: 'prod', daemonTaskDefinitionArn: 'prod-agent', capacityProviderArns: ['prod-mi'] }, 400, 'InvalidParameterException', 'daemonTaskDefinitionArn'],
    ['a body that is not JSON', 'POST', '/v1/daemons', '{"daemonName": ', 400, 'SerializationException', 'JSON'],
    ['a body over 1 MiB', 'POST', '/v1/daemon-task-definitions', { family: 'f', containerDefinitions: [{ ...container, command: ['x'.repeat(1024 * 1024)] }] }, 413, 'InvalidParameterException', 'size limit'],
  ])('refuses %s and stores nothing', async (_what, method, path, body, status, errorName, mentioned) => {
    const head = await suite.system.eventStore.headPosition();
    const response = method === 'POST' ? await client.post(path, body) : await client.delete(path);
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ __type: errorName, message: expect.stringContaining(mentioned) });
    expect(await suite.system.eventStore.headPosition()).toBe(head);
  });

  it.each<[string, string, number, string, string]>([
    ['maxResults out of range', '/v1/daemons?clusterArn=prod&maxResults=0', 400, 'InvalidParameterException', 'maxResults'],
    ['a forged nextToken', '/v1/daemons?clusterArn=prod&nextToken=eyJrIjoiMCJ9.forged', 400, 'InvalidParameterException', 'nextToken'],
    ['an unknown deployment status', '/v1/daemons/prod/prod-daemon/deployments?status=DONE', 400, 'InvalidParameterException', 'status'],
    ['a malformed cluster in the path', '/v1/daemons/bad%20name/x', 400, 'InvalidParameterException', 'cluster'],
    ['a daemon that does not exist', '/v1/daemons/prod/nope', 404, 'DaemonNotFoundException', 'nope'],
    ['a cluster that does not exist', '/v1/clusters/nope', 404, 'ClusterNotFoundException', 'nope'],
    ['a deployment that does not exist', '/v1/deployments/aaaaaaaaaaaaaaaa', 404, 'ClientException', 'aaaaaaaaaaaaaaaa'],
    ['a task definition that does not exist', '/v1/daemon-task-definitions/nope:1', 404, 'ClientException', 'nope:1'],
    ['a path that is no operation', '/v1/nothing-here', 404, 'UnknownOperationException', 'nothing-here'],
  ])('answers a query with %s with %i', async (_what, path, status, errorName, mentioned) => {
    const response = await client.get(path);
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ __type: errorName, message: expect.stringContaining(mentioned) });
  });

  it('pages ListDaemons oldest first with signed tokens, and a token does not carry over to other filters (page size may change)', async () => {
    const names = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'];
    for (const daemonName of names) {
      const created = await client.post('/v1/daemons', { daemonName, clusterArn: 'prod', daemonTaskDefinitionArn: 'prod-agent:1', capacityProviderArns: ['prod-mi'] });
      await deploymentFinished(client, created.body.deploymentArn);
    }
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page: Json = await client.get(`/v1/daemons?clusterArn=prod&maxResults=2${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.daemonSummariesList.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.daemonSummariesList.map((d: Json) => d.daemonArn.split('/').at(-1)));
      nextToken = page.body.nextToken;
      if (nextToken) {
        const elsewhere = await client.get(`/v1/daemons?clusterArn=prod&capacityProviderArns=prod-mi&nextToken=${encodeURIComponent(nextToken)}`);
        expect(elsewhere).toMatchObject({ status: 400, body: { __type: 'InvalidParameterException' } });
      }
    } while (nextToken);
    expect(seen).toEqual(names);
  });
});
