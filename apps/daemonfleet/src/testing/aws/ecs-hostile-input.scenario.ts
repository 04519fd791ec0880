import {
  CreateClusterCommand,
  CreateDaemonCommand,
  CreateServiceCommand,
  waitUntilDaemonDeploymentSuccessful,
} from '@aws-sdk/client-ecs';
import fc from 'fast-check';
import { eventually } from '@daemonfleet/testing';
import { beforeAll, expect, it } from 'vitest';
import { postAws } from './aws-raw-client.js';
import { fastWaiter } from './ecs-client.js';
import type { EcsSystem } from './ecs-system.js';
import { EcsWorld } from './ecs-world.js';
import { hostileRequest } from './hostile-requests.js';

/** The client errors the AWS endpoint may answer hostile input with: never ServerException. */
const CLIENT_ERRORS = [
  'SerializationException',
  'UnknownOperationException',
  'InvalidParameterException',
  'ClientException',
  'ClusterNotFoundException',
  'DaemonNotFoundException',
  'DaemonNotActiveException',
  'ServiceNotFoundException',
];

/**
 * Hostile input (fast-check): malformed JSON, wrong types, missing and unknown members, huge strings, numbers and
 * lists, unknown targets, bodies over the limit. Every answer is a 400 with an AWS error name and a request id,
 * never a 5xx, and the event store does not move. Needs a system of its own, where nothing else is going on.
 */
export function ecsHostileInputScenarios(system: () => EcsSystem): void {
  beforeAll(async () => {
    const { ecs, store } = system();
    const w = new EcsWorld(ecs, 'fz');
    await w.create();
    await ecs.send(new CreateClusterCommand({ clusterName: 'fz-empty' }));
    await ecs.send(new CreateServiceCommand({ serviceName: 'fz-svc', cluster: 'fz', taskDefinition: 'fz-web:1', desiredCount: 0, capacityProviderStrategy: [{ capacityProvider: 'fz-mi', weight: 1 }] }));
    const daemon = await ecs.send(new CreateDaemonCommand({ daemonName: 'fz-d', clusterArn: 'fz', daemonTaskDefinitionArn: 'fz-agent:1', capacityProviderArns: ['fz-mi'] }));
    await waitUntilDaemonDeploymentSuccessful(fastWaiter(ecs), { daemonDeploymentArns: [daemon.deploymentArn!] });
    // Quiet: nothing more is written once the empty provider's deployment is over.
    let last = -1;
    await eventually(
      async () => {
        const head = await store.headPosition();
        const settled = head === last;
        last = head;
        expect(settled).toBe(true);
      },
      { timeoutMs: 10_000, intervalMs: 300, what: 'the event store to settle' },
    );
  });

  it('answers every hostile request with a 400 and an AWS error name, and writes nothing', async () => {
    const { url, store } = system();
    const head = await store.headPosition();
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (request) => {
        const before = await store.headPosition();
        const answer = await postAws(url, request.target, request.body);
        expect({ request: request.what, status: answer.status }).toEqual({ request: request.what, status: 400 });
        expect(CLIENT_ERRORS).toContain(answer.body?.__type);
        expect(answer.body?.message).toEqual(expect.any(String));
        expect(answer.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
        expect({ request: request.what, head: await store.headPosition() }).toEqual({ request: request.what, head: before });
      }),
      { numRuns: 500 },
    );
    expect(await store.headPosition()).toBe(head);
  });
}
