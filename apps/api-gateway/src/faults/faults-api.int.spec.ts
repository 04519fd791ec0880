import { Streams, type FaultRuleEvent } from '@daemonfleet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPE, T0 } from '../testing/fleet.fixtures.js';
import { startGateway, type GatewayHarness } from '../testing/gateway.harness.js';

/**
 * The fault injection API over HTTP, with a fake fleet agent that appends the events the real one would: every
 * command reaches it with what the request said, and the listing answers from the events, its writes included.
 */
describe('REST API of fault rules (gateway alone)', () => {
  let gateway: GatewayHarness;
  beforeAll(async () => {
    gateway = await startGateway();
    let added = 0;
    gateway.answer('fleet.command.AddFaultRule', async (data) => {
      const faultId = FAULT_IDS[added++];
      await gateway.append(Streams.faultRule(SCOPE, faultId), [
        ruleAdded(faultId, String(data.image), Number(data.daemonTaskStartFailureRate ?? 0), Number(data.instanceProvisioningFailureRate ?? 0), T0 + added),
      ]);
      return { faultId };
    });
  });
  afterAll(() => gateway.close());

  it('adds rules (201 with the id), lists those in force oldest first, and removes one', async () => {
    const first = await gateway.request('POST', '/v1/faults', { image: AGENT, daemonTaskStartFailureRate: 0.5 });
    expect(first).toEqual({ status: 201, body: { id: FAULT_IDS[0] } });
    expect(gateway.sent.at(-1)).toMatchObject({ subject: 'fleet.command.AddFaultRule', data: { image: AGENT, daemonTaskStartFailureRate: 0.5 } });
    const second = await gateway.request('POST', '/v1/faults', { image: LOGS, daemonTaskStartFailureRate: 0, instanceProvisioningFailureRate: 1 });
    expect(second).toEqual({ status: 201, body: { id: FAULT_IDS[1] } });

    // Read your writes: the rules the fake agent wrote before answering are listed at once.
    expect(await gateway.request('GET', '/v1/faults')).toEqual({
      status: 200,
      body: {
        faults: [
          { id: FAULT_IDS[0], image: AGENT, daemonTaskStartFailureRate: 0.5, instanceProvisioningFailureRate: 0, createdAt: (T0 + 1) / 1000 },
          { id: FAULT_IDS[1], image: LOGS, daemonTaskStartFailureRate: 0, instanceProvisioningFailureRate: 1, createdAt: (T0 + 2) / 1000 },
        ],
      },
    });

    gateway.answer('fleet.command.RemoveFaultRule', async (data) => {
      await gateway.append(Streams.faultRule(SCOPE, String(data.faultId)), [{ type: 'FaultRuleRemoved', data: { faultId: String(data.faultId), removedAt: T0 + 10 } }]);
      return { faultId: data.faultId };
    });
    expect(await gateway.request('DELETE', `/v1/faults/${FAULT_IDS[0]}`)).toEqual({ status: 200, body: { id: FAULT_IDS[0] } });
    expect(gateway.sent.at(-1)).toMatchObject({ subject: 'fleet.command.RemoveFaultRule', data: { faultId: FAULT_IDS[0] } });
    expect((await gateway.request('GET', '/v1/faults')).body.faults.map((rule: { id: string }) => rule.id)).toEqual([FAULT_IDS[1]]);
  });

  it('answers 404 ResourceNotFoundException for a rule the fleet agent does not know', async () => {
    gateway.refuse('fleet.command.RemoveFaultRule', { code: 'FAULT_RULE_NOT_FOUND', message: `Fault rule not found: ${'e'.repeat(32)}` });
    expect(await gateway.request('DELETE', `/v1/faults/${'e'.repeat(32)}`)).toEqual({
      status: 404,
      body: { __type: 'ResourceNotFoundException', message: `Fault rule not found: ${'e'.repeat(32)}` },
    });
  });

  describe('refuses an invalid request with 400, naming the field, sending nothing and storing nothing', () => {
    it.each([
      ['no image', {}, 'image'],
      ['an image that is not a string', { image: 42 }, 'image'],
      ['an empty image', { image: '' }, 'image'],
      ['an image over 4096 characters', { image: 'a'.repeat(4097) }, 'image'],
      ['a start failure rate above 1', { image: AGENT, daemonTaskStartFailureRate: 1.01 }, 'daemonTaskStartFailureRate'],
      ['a start failure rate below 0', { image: AGENT, daemonTaskStartFailureRate: -0.1 }, 'daemonTaskStartFailureRate'],
      ['a start failure rate that is not a number', { image: AGENT, daemonTaskStartFailureRate: '0.5' }, 'daemonTaskStartFailureRate'],
      ['a provisioning failure rate above 1', { image: AGENT, instanceProvisioningFailureRate: 2 }, 'instanceProvisioningFailureRate'],
      ['a provisioning failure rate below 0', { image: AGENT, instanceProvisioningFailureRate: -1 }, 'instanceProvisioningFailureRate'],
      ['a provisioning failure rate that is not a number', { image: AGENT, instanceProvisioningFailureRate: true }, 'instanceProvisioningFailureRate'],
      ['an unknown field', { image: AGENT, rate: 1 }, 'rate'],
    ])('POST with %s', async (_what, body, field) => {
      const [sent, head] = [gateway.sent.length, await gateway.store.headPosition()];
      const response = await gateway.request('POST', '/v1/faults', body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ __type: 'InvalidParameterException', message: expect.stringContaining(field) });
      expect([gateway.sent.length, await gateway.store.headPosition()]).toEqual([sent, head]);
    });

    it.each([
      ['not hexadecimal', 'not-a-fault-id'],
      ['too short', 'abc123'],
      ['in upper case', 'E'.repeat(32)],
    ])('DELETE with an id %s', async (_what, id) => {
      const [sent, head] = [gateway.sent.length, await gateway.store.headPosition()];
      expect(await gateway.request('DELETE', `/v1/faults/${id}`)).toEqual({
        status: 400,
        body: { __type: 'InvalidParameterException', message: 'id must be a fault id (32 lower-case hexadecimal digits)' },
      });
      expect([gateway.sent.length, await gateway.store.headPosition()]).toEqual([sent, head]);
    });

    it('POST with a body that is not JSON', async () => {
      const [sent, head] = [gateway.sent.length, await gateway.store.headPosition()];
      const response = await fetch(`${gateway.url}/v1/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"image": ' });
      expect([response.status, await response.json()]).toEqual([400, { __type: 'SerializationException', message: expect.any(String) }]);
      expect([gateway.sent.length, await gateway.store.headPosition()]).toEqual([sent, head]);
    });
  });
});

// Fixtures last.
const AGENT = 'public.ecr.aws/example/agent:2.0';
const LOGS = 'public.ecr.aws/example/logs:1.0';
const FAULT_IDS = ['0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210'];

function ruleAdded(faultId: string, image: string, daemonTaskStartFailureRate: number, instanceProvisioningFailureRate: number, addedAt: number): FaultRuleEvent {
  return { type: 'FaultRuleAdded', data: { faultId, image, daemonTaskStartFailureRate, instanceProvisioningFailureRate, addedAt } };
}
