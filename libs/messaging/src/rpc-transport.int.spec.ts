import { eventually, natsForTests, startNatsServer, describeWithNats, type NatsForTests } from '@daemonfleet/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRpcClient } from './rpc-client.js';
import { TransportError } from './rpc.errors.js';
import { Journal, Subjects, startContractService } from './testing/contract-service.fixture.js';
import { rpcTransportContract } from './testing/rpc-transport.contract.js';
import type { TransportConfig } from './transport.config.js';

describeWithNats('RPC over NATS', () => {
  let nats: NatsForTests;
  beforeAll(async () => {
    nats = await natsForTests();
  });
  afterAll(() => nats?.dispose());

  rpcTransportContract(() => ({ kind: 'nats', servers: [nats.url] }));
});

describeWithNats(
  'RPC over NATS across a nats-server restart',
  () => {
    it('reports the outage, fails fast and keeps reconnecting during it, and serves requests again after it', async () => {
      const first = await startNatsServer();
      let second: Awaited<ReturnType<typeof startNatsServer>> | undefined;
      const transport: TransportConfig = { kind: 'nats', servers: [first.url] };
      const app = await startContractService(transport, { name: 'orchestrator', queueGroup: 'orchestrator', journal: new Journal() });
      const rpc = createRpcClient(transport, { defaultTimeoutMs: 2_000 });
      let serviceDials = 0;
      void (async () => {
        for await (const status of app.unwrap<NatsConnection>().status()) if (status.type === 'reconnecting') serviceDials++;
      })();
      try {
        expect(await rpc.request(Subjects.echo, { attempt: 'before' })).toEqual({ received: { attempt: 'before' }, atType: 'undefined' });

        await first.stop();
        await eventually(() => expect(rpc.checkHealth()).rejects.toBeInstanceOf(TransportError), { what: 'the health check to report the outage' });
        await expect(rpc.request(Subjects.echo, { attempt: 'during' })).rejects.toBeInstanceOf(TransportError);
        // Keep the server down until the service has dialled three times (two failed for sure): a client with a
        // finite, small `maxReconnectAttempts` would have given up and never come back.
        await eventually(() => expect(serviceDials).toBeGreaterThanOrEqual(3), { what: 'three reconnection attempts' });

        second = await startNatsServer({ port: first.port, storeDir: first.storeDir });
        // Both the client and the service reconnect on their own (and the service resubscribes).
        const reply = await eventually(() => rpc.request(Subjects.echo, { attempt: 'after' }), {
          timeoutMs: 20_000,
          what: 'a reply once the server is back',
        });
        expect(reply).toEqual({ received: { attempt: 'after' }, atType: 'undefined' });
        await expect(rpc.checkHealth()).resolves.toBeUndefined();
      } finally {
        await rpc.close();
        await app.close();
        await (second ?? first).dispose();
      }
    });
  },
  { needsBinary: true },
);
