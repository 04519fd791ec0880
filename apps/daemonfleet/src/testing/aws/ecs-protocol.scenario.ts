import { expect, it } from 'vitest';
import { ECS_TARGET, postAws, type RawAnswer } from './aws-raw-client.js';
import type { EcsSystem } from './ecs-system.js';

/** The AWS JSON 1.1 wire itself, as a client that is not an SDK sees it (spec 5). */
export function ecsProtocolScenarios(system: () => EcsSystem): void {
  it('answers with the protocol’s media type and a request id, success or error', async () => {
    const { url } = system();
    const listed = await postAws(url, ECS_TARGET('ListClusters'), '{}');
    expect(listed.status).toBe(200);
    expectAwsHeaders(listed);
    expect(listed.body).toEqual({ clusterArns: expect.any(Array) });
    const refused = await postAws(url, ECS_TARGET('DescribeDaemon'), '{}');
    expectAwsError(refused, 'InvalidParameterException', /daemonArn/);
    expect(refused.headers.get('x-amzn-requestid')).not.toBe(listed.headers.get('x-amzn-requestid'));
  });

  it('takes an empty body as {}, and a body sent as application/json too', async () => {
    const { url } = system();
    expect((await postAws(url, ECS_TARGET('ListClusters'), '')).status).toBe(200);
    expect((await postAws(url, ECS_TARGET('ListClusters'), '{"maxResults": 1}', { 'content-type': 'application/json' })).status).toBe(200);
  });

  it.each([
    ['an unknown operation', ECS_TARGET('RunTask')],
    ['the target of a service daemonfleet does not speak', 'DynamoDB_20120810.ListTables'],
    ['a target without an operation', ECS_TARGET('')],
    ['a member of Object.prototype', ECS_TARGET('constructor')],
    ['no target', undefined],
  ])('answers %s with UnknownOperationException', async (_what, target) => {
    expectAwsError(await postAws(system().url, target, '{}'), 'UnknownOperationException');
  });

  it.each([
    ['text that is not JSON', '{"clusterName": '],
    ['a JSON array', '[]'],
    ['a JSON string', '"clusters"'],
    ['JSON null', 'null'],
    ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
    ['a __proto__ member', '{"__proto__": {"clusterName": "x"}}'],
  ])('answers %s with SerializationException', async (_what, body) => {
    expectAwsError(await postAws(system().url, ECS_TARGET('CreateCluster'), body), 'SerializationException');
  });

  it('names a member of the ECS model that daemonfleet does not take', async () => {
    const answer = await postAws(system().url, ECS_TARGET('CreateCluster'), JSON.stringify({ clusterName: 'sdk-proto', settings: [{ name: 'containerInsights', value: 'enabled' }] }));
    expectAwsError(answer, 'InvalidParameterException', /^settings: CreateCluster in daemonfleet does not take this member$/);
  });

  it('refuses a body over 1 MiB before parsing it, by its length or as it streams', async () => {
    const { url } = system();
    const huge = JSON.stringify({ clusterName: 'x'.repeat(1024 * 1024) });
    expectAwsError(await postAws(url, ECS_TARGET('CreateCluster'), huge), 'InvalidParameterException', /size limit/);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 17; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(64 * 1024)));
        controller.close();
      },
    });
    const response = await fetch(`${url}/`, { method: 'POST', headers: { 'x-amz-target': ECS_TARGET('ListClusters') }, body: stream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'InvalidParameterException' });
  });

  it('leaves the REST API as it was', async () => {
    const { url } = system();
    const created = await fetch(`${url}/v1/clusters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"clusterName": "sdk-rest"}' });
    expect(created.status).toBe(201);
    expect(await (await fetch(`${url}/v1/clusters/sdk-rest`)).json()).toMatchObject({ cluster: { clusterName: 'sdk-rest' } });
  });
}

export function expectAwsHeaders(answer: RawAnswer): void {
  expect(answer.headers.get('content-type')).toMatch(/^application\/x-amz-json-1\.1/);
  expect(answer.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
}

export function expectAwsError(answer: RawAnswer, name: string, message?: RegExp): void {
  expect({ status: answer.status, __type: answer.body?.__type }).toEqual({ status: 400, __type: name });
  expect(Object.keys(answer.body ?? {}).sort()).toEqual(['__type', 'message']);
  if (message) expect(answer.body?.message).toMatch(message);
  expectAwsHeaders(answer);
}
