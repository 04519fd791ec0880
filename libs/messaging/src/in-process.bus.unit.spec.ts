import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InProcessBus } from './in-process.bus.js';
import { NoRespondersError, RequestTimeoutError } from './rpc.errors.js';
import { subjectMatches } from './subject.js';

describe('InProcessBus', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  describe('subjects', () => {
    it.each([
      ['fleet.cmd.i-1.Drain', 'fleet.cmd.i-1.Drain', true],
      ['fleet.cmd.*.Drain', 'fleet.cmd.i-1.Drain', true],
      ['fleet.cmd.*.Drain', 'fleet.cmd.i-1.Stop', false],
      ['fleet.cmd.*', 'fleet.cmd.i-1.Drain', false],
      ['fleet.>', 'fleet.cmd.i-1.Drain', true],
      ['fleet.cmd.i-1.Drain.>', 'fleet.cmd.i-1.Drain', false],
      ['fleet.cmd', 'fleet.cmd.i-1', false],
    ])('subscription %s matches %s: %s', (subscription, subject, expected) => {
      expect(subjectMatches(subscription, subject)).toBe(expected);
    });

    it('routes a request to a wildcard subscription', async () => {
      const bus = new InProcessBus();
      bus.subscribe('fleet.cmd.*.Drain', 'fleet-agent', (_payload, subject) => subject);
      expect(await bus.request('fleet.cmd.i-1.Drain', {})).toBe('fleet.cmd.i-1.Drain');
    });

    it.each(['fleet.cmd.*.Drain', 'fleet.>', 'fleet..Drain', 'fleet.cmd i-1', ''])('refuses to request on "%s"', async (subject) => {
      await expect(new InProcessBus().request(subject, {})).rejects.toThrow(TypeError);
    });

    it.each(['fleet.>.Drain', 'fleet..Drain', 'a b'])('refuses to subscribe on "%s"', (subject) => {
      expect(() => new InProcessBus().subscribe(subject, 'fleet-agent', () => undefined)).toThrow(TypeError);
    });
  });

  describe('queue groups', () => {
    it('gives each request to one member of a queue group, in turn', async () => {
      const bus = new InProcessBus();
      bus.subscribe('fleet.cmd.*.Drain', 'fleet-agent', () => 'a');
      bus.subscribe('fleet.cmd.>', 'fleet-agent', () => 'b');
      const replies = [];
      for (let i = 0; i < 4; i++) replies.push(await bus.request(`fleet.cmd.i-${i}.Drain`, {}));
      expect(replies).toEqual(['a', 'b', 'a', 'b']);
    });

    it('keeps the turns of each subject fair when the group also serves other subjects', async () => {
      const bus = new InProcessBus();
      for (const member of ['a', 'b']) {
        bus.subscribe('fleet.cmd.x.Drain', 'fleet-agent', () => member);
        bus.subscribe('fleet.cmd.y.Drain', 'fleet-agent', () => member);
      }
      const drains: Record<string, unknown[]> = { x: [], y: [] };
      for (let i = 0; i < 4; i++) for (const node of ['x', 'y']) drains[node].push(await bus.request(`fleet.cmd.${node}.Drain`, {}));
      expect(new Set(drains.x)).toEqual(new Set(['a', 'b']));
      expect(new Set(drains.y)).toEqual(new Set(['a', 'b']));
    });

    it('gives a request to every queue group and resolves with the first reply', async () => {
      const bus = new InProcessBus();
      let releaseSlow!: () => void;
      const slowGot = vi.fn();
      bus.subscribe('deploy.qry.d-1.Get', 'api-gateway', async (payload) => {
        slowGot(payload);
        await new Promise<void>((resolve) => (releaseSlow = resolve));
        return 'slow';
      });
      bus.subscribe('deploy.qry.d-1.Get', 'orchestrator', () => 'fast');

      expect(await bus.request('deploy.qry.d-1.Get', { n: 1 })).toBe('fast');
      expect(slowGot).toHaveBeenCalledWith({ n: 1 });
      releaseSlow();
    });

    it('has no responders once the last subscriber unsubscribed', async () => {
      const bus = new InProcessBus();
      const unsubscribe = bus.subscribe('alarm.cmd.a-1.Put', 'alarm-monitor', () => 'ok');
      unsubscribe();
      await expect(bus.request('alarm.cmd.a-1.Put', {}, { timeoutMs: 5_000 })).rejects.toEqual(new NoRespondersError('alarm.cmd.a-1.Put'));
    });
  });

  describe('delivery', () => {
    it('delivers on a later tick, never inside the caller', async () => {
      const bus = new InProcessBus();
      const handler = vi.fn(() => 'ok');
      bus.subscribe('fleet.cmd.i-1.Drain', 'fleet-agent', handler);
      const reply = bus.request('fleet.cmd.i-1.Drain', {});
      expect(handler).not.toHaveBeenCalled();
      expect(await reply).toBe('ok');
    });

    it('copies payloads and replies through JSON', async () => {
      const bus = new InProcessBus();
      const sharedReply = { nodeIds: ['n1'] };
      let received: unknown;
      bus.subscribe('fleet.cmd.i-1.Drain', 'fleet-agent', (payload) => {
        received = payload;
        return sharedReply;
      });
      const sent = { at: new Date('2025-01-01T00:00:00.000Z'), drop: undefined };

      const reply = await bus.request('fleet.cmd.i-1.Drain', sent);

      expect(received).toEqual({ at: '2025-01-01T00:00:00.000Z' });
      expect(reply).toEqual(sharedReply);
      expect(reply).not.toBe(sharedReply);
    });

    it('resolves a void reply with undefined', async () => {
      const bus = new InProcessBus();
      bus.subscribe('fleet.cmd.i-1.Drain', 'fleet-agent', () => undefined);
      expect(await bus.request('fleet.cmd.i-1.Drain', {})).toBeUndefined();
    });

    it('refuses a payload that JSON cannot carry', async () => {
      const bus = new InProcessBus();
      bus.subscribe('fleet.cmd.i-1.Drain', 'fleet-agent', () => 'ok');
      await expect(bus.request('fleet.cmd.i-1.Drain', { count: 1n })).rejects.toThrow(TypeError);
    });
  });

  describe('failures', () => {
    it('times out with RequestTimeoutError and drops the late reply', async () => {
      const bus = new InProcessBus();
      let answer!: (reply: string) => void;
      bus.subscribe('fleet.cmd.i-1.Drain', 'fleet-agent', () => new Promise((resolve) => (answer = resolve)));

      await expect(bus.request('fleet.cmd.i-1.Drain', {}, { timeoutMs: 50 })).rejects.toEqual(new RequestTimeoutError('fleet.cmd.i-1.Drain', 50));
      answer('late');
    });

    it('rejects with the abort reason when the requester abandons the request', async () => {
      const bus = new InProcessBus();
      bus.subscribe('fleet.cmd.i-1.Drain', 'fleet-agent', () => new Promise(() => undefined));
      const abandon = new AbortController();
      const request = bus.request('fleet.cmd.i-1.Drain', {}, { signal: abandon.signal });
      abandon.abort(new Error('caller gone'));
      await expect(request).rejects.toThrow('caller gone');
    });

    it('logs a handler that throws and sends no reply from it, as a crashed NATS subscriber', async () => {
      const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const bus = new InProcessBus();
      bus.subscribe('fleet.cmd.i-1.Drain', 'fleet-agent', () => {
        throw new Error('boom');
      });

      await expect(bus.request('fleet.cmd.i-1.Drain', {}, { timeoutMs: 50 })).rejects.toBeInstanceOf(RequestTimeoutError);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('queue group "fleet-agent" failed'), expect.stringContaining('boom'));
    });

    it('still resolves with the reply of another queue group when one handler throws', async () => {
      vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const bus = new InProcessBus();
      bus.subscribe('fleet.cmd.i-1.Drain', 'fleet-agent', () => {
        throw new Error('boom');
      });
      bus.subscribe('fleet.cmd.i-1.Drain', 'auditor', () => 'ok');
      expect(await bus.request('fleet.cmd.i-1.Drain', {}, { timeoutMs: 1_000 })).toBe('ok');
    });
  });
});
