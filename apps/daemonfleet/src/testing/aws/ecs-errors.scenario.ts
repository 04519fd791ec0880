import {
  CreateDaemonCommand,
  DeleteDaemonCommand,
  DeleteDaemonTaskDefinitionCommand,
  DescribeDaemonCommand,
  DescribeDaemonDeploymentsCommand,
  DescribeDaemonTaskDefinitionCommand,
  ListDaemonDeploymentsCommand,
  ListDaemonsCommand,
  ListDaemonTaskDefinitionsCommand,
  RegisterDaemonTaskDefinitionCommand,
  UpdateDaemonCommand,
  waitUntilDaemonDeploymentStopped,
  waitUntilDaemonDeploymentSuccessful,
  type CreateDaemonCommandInput,
} from '@aws-sdk/client-ecs';
import { beforeAll, expect, it } from 'vitest';
import { fastWaiter, failureOf } from './ecs-client.js';
import type { EcsSystem } from './ecs-system.js';
import { arn, EcsWorld } from './ecs-world.js';

/**
 * Every error the daemon operations document, as the official client sees it: the typed exception (its name, a
 * client fault), the message, HTTP 400 and the request id (spec 2, decisions 8 to 11, 14).
 */
export function ecsErrorScenarios(system: () => EcsSystem): void {
  let w: EcsWorld;
  const daemon = (name: string, extra: Partial<CreateDaemonCommandInput> = {}): CreateDaemonCommandInput => ({
    daemonName: name,
    clusterArn: w.cluster,
    daemonTaskDefinitionArn: w.daemonTaskDefinition(1),
    capacityProviderArns: [w.provider],
    ...extra,
  });
  const failure = async (call: Promise<unknown>, name: string, message?: RegExp) => {
    const error = await failureOf(call);
    expect(error.name).toBe(name);
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    if (message) expect(error.message).toMatch(message);
  };

  beforeAll(async () => {
    w = new EcsWorld(system().ecs, 'sdk-errors');
    await w.create();
    await new EcsWorld(system().ecs, 'sdk-errors-other').create();
  });

  it('answers ClusterNotFoundException for an unknown cluster', async () => {
    const { ecs } = system();
    await failure(ecs.send(new CreateDaemonCommand(daemon('agent', { clusterArn: 'nowhere' }))), 'ClusterNotFoundException', /nowhere/);
    await failure(ecs.send(new ListDaemonsCommand({ clusterArn: arn('cluster/nowhere') })), 'ClusterNotFoundException');
    await failure(ecs.send(new DescribeDaemonCommand({ daemonArn: arn('daemon/nowhere/agent') })), 'ClusterNotFoundException');
    await failure(ecs.send(new ListDaemonDeploymentsCommand({ daemonArn: arn('daemon/nowhere/agent') })), 'ClusterNotFoundException');
  });

  it('answers DaemonNotFoundException for an unknown daemon in Describe, Update and Delete', async () => {
    const { ecs } = system();
    const unknown = w.daemonArn('nobody');
    await failure(ecs.send(new DescribeDaemonCommand({ daemonArn: unknown })), 'DaemonNotFoundException', /nobody/);
    await failure(ecs.send(new UpdateDaemonCommand({ daemonArn: unknown, daemonTaskDefinitionArn: w.daemonTaskDefinition(1), capacityProviderArns: [w.provider] })), 'DaemonNotFoundException');
    await failure(ecs.send(new DeleteDaemonCommand({ daemonArn: unknown })), 'DaemonNotFoundException');
  });

  it('answers DaemonNotActiveException for a daemon being deleted (decision 8)', async () => {
    const { ecs } = system();
    await w.service('web', 2);
    const created = await ecs.send(new CreateDaemonCommand(daemon('leaving', { deploymentConfiguration: { drainPercent: 50 } })));
    await waitUntilDaemonDeploymentSuccessful(fastWaiter(ecs), { daemonDeploymentArns: [created.deploymentArn!] });
    const deleted = await ecs.send(new DeleteDaemonCommand({ daemonArn: created.daemonArn }));
    await failure(ecs.send(new DeleteDaemonCommand({ daemonArn: created.daemonArn })), 'DaemonNotActiveException', /DELETE_IN_PROGRESS/);
    await failure(ecs.send(new UpdateDaemonCommand({ daemonArn: created.daemonArn, daemonTaskDefinitionArn: w.daemonTaskDefinition(2), capacityProviderArns: [w.provider] })), 'DaemonNotActiveException');
    await waitUntilDaemonDeploymentSuccessful(fastWaiter(ecs), { daemonDeploymentArns: [deleted.deploymentArn!] });
  });

  it('answers InvalidParameterException for a name in use and for a clientToken reused with other parameters or another name (decision 9)', async () => {
    const { ecs } = system();
    await ecs.send(new CreateDaemonCommand(daemon('tokened', { clientToken: 'sdk-errors-token' })));
    await failure(ecs.send(new CreateDaemonCommand(daemon('tokened'))), 'InvalidParameterException', /already exists/);
    await failure(ecs.send(new CreateDaemonCommand(daemon('tokened', { clientToken: 'sdk-errors-token', critical: false }))), 'InvalidParameterException', /clientToken/);
    await failure(ecs.send(new CreateDaemonCommand(daemon('another', { clientToken: 'sdk-errors-token' }))), 'InvalidParameterException', /clientToken/);
    await failure(ecs.send(new DescribeDaemonCommand({ daemonArn: w.daemonArn('another') })), 'DaemonNotFoundException');
    // A request refused for another reason does not use up its token.
    await failure(ecs.send(new CreateDaemonCommand(daemon('fresh', { clientToken: 'sdk-errors-fresh', capacityProviderArns: ['no-such-provider'] }))), 'ClientException');
    await ecs.send(new CreateDaemonCommand(daemon('fresh', { clientToken: 'sdk-errors-fresh' })));
  });

  it('answers InvalidParameterException for malformed or out-of-range input (decision 10)', async () => {
    const { ecs } = system();
    await failure(ecs.send(new CreateDaemonCommand(daemon('bad', { deploymentConfiguration: { drainPercent: 100.5 } }))), 'InvalidParameterException', /drainPercent/);
    await failure(ecs.send(new CreateDaemonCommand(daemon('bad', { deploymentConfiguration: { bakeTimeInMinutes: 1441 } }))), 'InvalidParameterException', /bakeTimeInMinutes/);
    await failure(ecs.send(new CreateDaemonCommand(daemon('bad name'))), 'InvalidParameterException', /daemonName/);
    await failure(ecs.send(new CreateDaemonCommand(daemon('bad', { capacityProviderArns: [] }))), 'InvalidParameterException', /capacityProviderArns/);
    await failure(ecs.send(new CreateDaemonCommand(daemon('bad', { capacityProviderArns: ['sdk-errors-other-mi'] }))), 'InvalidParameterException', /not associated with cluster/);
    await failure(ecs.send(new CreateDaemonCommand({ daemonName: 'bad', daemonTaskDefinitionArn: w.daemonTaskDefinition(1) } as CreateDaemonCommandInput)), 'InvalidParameterException', /capacityProviderArns/);
    await failure(ecs.send(new DescribeDaemonCommand({ daemonArn: 'not-an-arn' })), 'InvalidParameterException', /daemonArn/);
    await failure(ecs.send(new ListDaemonsCommand({ clusterArn: w.cluster, maxResults: 0 })), 'InvalidParameterException', /maxResults/);
    await failure(ecs.send(new ListDaemonsCommand({ clusterArn: w.cluster, maxResults: 101 })), 'InvalidParameterException', /maxResults/);
    const tooMany = Array.from({ length: 21 }, (_, i) => arn(`daemon-deployment/sdk-errors/a/${'x'.repeat(15)}${i % 10}`));
    await failure(ecs.send(new DescribeDaemonDeploymentsCommand({ daemonDeploymentArns: tooMany })), 'InvalidParameterException', /daemonDeploymentArns/);
    await failure(ecs.send(new DescribeDaemonDeploymentsCommand({ daemonDeploymentArns: [] })), 'InvalidParameterException', /daemonDeploymentArns/);
  });

  it('refuses a forged, edited or foreign nextToken with InvalidParameterException (decision 14)', async () => {
    const { ecs } = system();
    const page = await ecs.send(new ListDaemonTaskDefinitionsCommand({ familyPrefix: w.agentFamily, maxResults: 1 }));
    expect(page.nextToken).toEqual(expect.any(String));
    await failure(ecs.send(new ListDaemonTaskDefinitionsCommand({ familyPrefix: w.agentFamily, maxResults: 1, nextToken: `${page.nextToken}x` })), 'InvalidParameterException', /nextToken/);
    await failure(ecs.send(new ListDaemonTaskDefinitionsCommand({ familyPrefix: 'sdk', maxResults: 1, nextToken: page.nextToken })), 'InvalidParameterException', /nextToken/);
    await failure(ecs.send(new ListDaemonsCommand({ clusterArn: w.cluster, nextToken: page.nextToken })), 'InvalidParameterException', /nextToken/);
    await failure(ecs.send(new ListDaemonsCommand({ clusterArn: w.cluster, nextToken: 'eyJrIjoiYSJ9.forged' })), 'InvalidParameterException', /nextToken/);
  });

  it('answers ClientException for an unknown or inactive task definition, an unknown provider, an unknown daemon’s deployments (decisions 10, 11)', async () => {
    const { ecs } = system();
    await failure(ecs.send(new CreateDaemonCommand(daemon('client', { daemonTaskDefinitionArn: `${w.agentFamily}:99` }))), 'ClientException', /99/);
    await failure(ecs.send(new CreateDaemonCommand(daemon('client', { capacityProviderArns: ['no-such-provider'] }))), 'ClientException', /no-such-provider/);
    await failure(ecs.send(new DescribeDaemonTaskDefinitionCommand({ daemonTaskDefinition: 'no-such-family' })), 'ClientException', /no-such-family/);
    await failure(ecs.send(new ListDaemonDeploymentsCommand({ daemonArn: w.daemonArn('never-existed') })), 'ClientException', /never-existed/);
    const registered = await ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: 'sdk-errors-retired', containerDefinitions: [{ name: 'a', image: 'a:1' }] }));
    await ecs.send(new DeleteDaemonTaskDefinitionCommand({ daemonTaskDefinition: registered.daemonTaskDefinitionArn }));
    await failure(ecs.send(new DeleteDaemonTaskDefinitionCommand({ daemonTaskDefinition: registered.daemonTaskDefinitionArn })), 'ClientException');
    await failure(ecs.send(new CreateDaemonCommand(daemon('client', { daemonTaskDefinitionArn: registered.daemonTaskDefinitionArn }))), 'ClientException', /not ACTIVE/);
    await failure(ecs.send(new RegisterDaemonTaskDefinitionCommand({ family: 'sdk-errors-empty', containerDefinitions: [] })), 'InvalidParameterException', /containerDefinitions/);
  });

  it('reports unknown deployment ARNs as MISSING failures, which the deployment waiters take as a failure', async () => {
    const { ecs } = system();
    const unknown = arn('daemon-deployment/sdk-errors/ghost/AAAAAAAAAAAAAAAA');
    expect(await ecs.send(new DescribeDaemonDeploymentsCommand({ daemonDeploymentArns: [unknown] }))).toMatchObject({ daemonDeployments: [], failures: [{ arn: unknown, reason: 'MISSING' }] });
    const started = Date.now();
    await expect(waitUntilDaemonDeploymentSuccessful(fastWaiter(ecs), { daemonDeploymentArns: [unknown] })).rejects.toThrow(/FAILURE/);
    await expect(waitUntilDaemonDeploymentStopped(fastWaiter(ecs), { daemonDeploymentArns: [unknown] })).rejects.toThrow(/FAILURE/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
}
