import { Test } from '@nestjs/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRpcClient, type RpcClient } from '../rpc-client.js';
import { RPC_CLIENT } from '../rpc-client.di-tokens.js';
import { RpcClientModule } from '../rpc-client.module.js';
import { NoRespondersError, RemoteError, RequestTimeoutError, TransportError } from '../rpc.errors.js';
import type { TransportConfig } from '../transport.config.js';
import { Journal, Subjects, startContractService } from './contract-service.fixture.js';

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * The behaviour every transport must show, through real Nest microservices and our `RpcClient`. Declare it
 * inside a `describe`; `transportForTest` is called once per test, before any service or client starts.
 */
export function rpcTransportContract(transportForTest: () => TransportConfig): void {
  let transport: TransportConfig;
  let journal: Journal;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeEach(() => {
    transport = transportForTest();
    journal = new Journal();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const service = async (queueGroup: string, name = queueGroup) => {
    const app = await startContractService(transport, { name, queueGroup, journal });
    cleanups.push(() => app.close());
  };
  const client = (): RpcClient => {
    const rpc = createRpcClient(transport, { defaultTimeoutMs: DEFAULT_TIMEOUT_MS });
    cleanups.push(() => rpc.close());
    return rpc;
  };
  const failureOf = (request: Promise<unknown>): Promise<unknown> =>
    request.then(
      (reply) => {
        throw new Error(`expected a failure, got ${JSON.stringify(reply)}`);
      },
      (error: unknown) => error,
    );

  it('carries a request to a service and its reply back', async () => {
    await service('orchestrator');
    const reply = await client().request(Subjects.echo, { deploymentId: 'dep-1' });
    expect(reply).toEqual({ received: { deploymentId: 'dep-1' }, atType: 'undefined' });
  });

  it('resolves with undefined when the handler returns nothing', async () => {
    await service('orchestrator');
    expect(await client().request(Subjects.accept, { deploymentId: 'dep-1' })).toBeUndefined();
    expect(journal.of(Subjects.accept)).toHaveLength(1);
  });

  it('round-trips payloads through JSON: a Date arrives as an ISO string and no object is shared', async () => {
    await service('orchestrator');
    const sent = { at: new Date('2025-01-01T00:00:00.000Z'), nested: { nodeIds: ['n1', 'n2'] } };
    const reply = await client().request<{ received: Record<string, unknown>; atType: string }>(Subjects.echo, sent);

    expect(reply).toEqual({ received: { at: '2025-01-01T00:00:00.000Z', nested: { nodeIds: ['n1', 'n2'] } }, atType: 'string' });
    const [received] = journal.of(Subjects.echo);
    expect(received.payload).not.toBe(sent);
    expect(received.payload.nested).not.toBe(sent.nested);
    expect(sent.at).toBeInstanceOf(Date);
  });

  it('rejects with RequestTimeoutError when the handler does not answer within the bound', async () => {
    await service('orchestrator');
    const started = performance.now();
    const error = await failureOf(client().request(Subjects.neverAnswer, {}, { timeoutMs: 300 }));
    const elapsedMs = performance.now() - started;

    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT', subject: Subjects.neverAnswer, timeoutMs: 300 });
    expect(elapsedMs).toBeGreaterThanOrEqual(290); // timers may fire a millisecond early
    expect(elapsedMs).toBeLessThan(300 + 1_000);
    expect(journal.of(Subjects.neverAnswer)).toHaveLength(1);
  });

  it('rejects with NoRespondersError at once when nobody subscribes, not after the timeout', async () => {
    await service('orchestrator');
    const started = performance.now();
    const error = await failureOf(client().request(Subjects.unhandled, {}, { timeoutMs: 5_000 }));

    expect(error).toBeInstanceOf(NoRespondersError);
    expect(error).toMatchObject({ code: 'NO_RESPONDERS', subject: Subjects.unhandled });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('gives each request to exactly one replica of a queue group, and work to every replica', async () => {
    await service('orchestrator', 'replica-a');
    await service('orchestrator', 'replica-b');
    const rpc = client();
    const requestIds = Array.from({ length: 20 }, (_, i) => `req-${i}`);

    const replies = await Promise.all(requestIds.map((requestId) => rpc.request<{ replica: string }>(Subjects.work, { requestId })));

    const handled = journal.of(Subjects.work);
    expect(handled.map((entry) => entry.payload.requestId).sort()).toEqual([...requestIds].sort());
    expect(new Set(handled.map((entry) => entry.replica))).toEqual(new Set(['replica-a', 'replica-b']));
    requestIds.forEach((requestId, i) => {
      const handler = handled.find((entry) => entry.payload.requestId === requestId);
      expect(replies[i].replica).toBe(handler?.replica);
    });
  });

  it('gives a request to every queue group that subscribes and resolves with one reply', async () => {
    await service('orchestrator');
    await service('api-gateway');
    const queueGroups = ['orchestrator', 'api-gateway'];

    const reply = await client().request<{ queueGroup: string }>(Subjects.fanOut, { requestId: 'req-1', queueGroups });

    expect(queueGroups).toContain(reply.queueGroup);
    expect(journal.of(Subjects.fanOut).map((entry) => entry.queueGroup).sort()).toEqual([...queueGroups].sort());
  });

  it('carries a typed error back with its code, message and details', async () => {
    await service('orchestrator');
    const error = await failureOf(client().request(Subjects.failWithTypedError, { daemonArn: 'arn:daemon/d1' }));

    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({
      code: 'DAEMON_NOT_FOUND',
      message: 'daemon arn:daemon/d1 does not exist',
      details: { daemonArn: 'arn:daemon/d1' },
      subject: Subjects.failWithTypedError,
    });
  });

  it('reports an unexpected handler failure as INTERNAL with its message', async () => {
    await service('orchestrator');
    const error = await failureOf(client().request(Subjects.crash, {}));
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ code: 'INTERNAL', message: 'the disk is on fire' });
  });

  it.each([
    ['a property of the wrong type', { name: 'agent', batchSize: 'many' }, 'batchSize', /batchSize/],
    ['a missing property', { batchSize: 2 }, 'name', /name/],
    ['a property the DTO does not declare', { name: 'agent', batchSize: 2, color: 'red' }, 'color', /property color should not exist/],
  ])('rejects a payload with %s as INVALID_PARAMETER naming the field', async (_case, payload, field, message) => {
    await service('orchestrator');
    const error = await failureOf(client().request(Subjects.registerDaemon, payload));

    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER', details: { field } });
    expect((error as RemoteError).message).toMatch(message);
  });

  it('hands a valid payload to the handler as an instance of its DTO class', async () => {
    await service('orchestrator');
    const reply = await client().request(Subjects.registerDaemon, { name: 'agent', batchSize: 2 });
    expect(reply).toEqual({ name: 'agent', batchSize: 2, isDto: true });
  });

  it('reports healthy while the transport is up', async () => {
    await service('orchestrator');
    await expect(client().checkHealth()).resolves.toBeUndefined();
  });

  it('refuses requests once closed', async () => {
    await service('orchestrator');
    const rpc = client();
    await rpc.close();
    await expect(rpc.request(Subjects.echo, {})).rejects.toBeInstanceOf(TransportError);
  });

  it('is provided by RpcClientModule in a Nest container, which closes it on shutdown', async () => {
    await service('orchestrator');
    const moduleRef = await Test.createTestingModule({
      imports: [RpcClientModule.register(transport, { defaultTimeoutMs: DEFAULT_TIMEOUT_MS })],
    }).compile();
    const rpc = moduleRef.get<RpcClient>(RPC_CLIENT);

    expect(await rpc.request(Subjects.echo, { via: 'module' })).toEqual({ received: { via: 'module' }, atType: 'undefined' });
    await moduleRef.close();
    await expect(rpc.request(Subjects.echo, {})).rejects.toBeInstanceOf(TransportError);
  });
}
