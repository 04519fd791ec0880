import { describe, expect, it } from 'vitest';
import { InProcessBus } from './in-process.bus.js';
import { InProcessClient } from './in-process.client.js';
import { NatsClientProxy } from './nats.client.js';
import { rpcTransportContract } from './testing/rpc-transport.contract.js';

describe('RPC over the in-process transport', () => {
  rpcTransportContract(() => ({ kind: 'in-process', bus: new InProcessBus() }));
});

describe('transport events', () => {
  it.each([
    ['InProcessClient', () => new InProcessClient(new InProcessBus())],
    ['NatsClientProxy', () => new NatsClientProxy({ servers: ['nats://127.0.0.1:1'] })],
  ])('are refused loudly by %s', (_name, create) => {
    expect(() => create().emit('fleet.evt.n1.InstanceDrained', {})).toThrow(/not supported: publish events to the event store/);
  });
});
