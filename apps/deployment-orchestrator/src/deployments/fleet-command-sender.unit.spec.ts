import { ErrorCode, Subjects, type MessageMeta } from '@daemonfleet/contracts';
import type { PendingFleetCommand } from '@daemonfleet/domain';
import { RemoteError, type RpcClient } from '@daemonfleet/messaging';
import { loadConfig } from '@daemonfleet/service-runtime';
import { describe, expect, it } from 'vitest';
import { FleetCommandSender } from './fleet-command-sender.js';

describe('FleetCommandSender', () => {
  it('sends each instance once per resync interval, whatever the commands it is part of', async () => {
    const { sender, sent, clock } = setUp();
    await sender.send([drains(['i-1', 'i-2', 'i-3'])], 5, meta);
    await sender.send([drains(['i-2', 'i-3'])], 5, meta);
    clock.now += 999;
    await sender.send([drains(['i-3', 'i-4'])], 5, meta);
    clock.now += 1;
    await sender.send([drains(['i-3'])], 5, meta);
    expect(sent.map((s) => s.data.instanceIds)).toEqual([['i-1', 'i-2', 'i-3'], ['i-4'], ['i-3']]);
  });

  it('sends again at once with a newer fence, which the fleet takes over an older one', async () => {
    const { sender, sent } = setUp();
    await sender.send([drains(['i-1'])], 5, meta);
    await sender.send([drains(['i-1'])], 6, meta);
    expect(sent.map((s) => [s.subject, s.data.fence])).toEqual([
      [Subjects.fleet.startInstanceDrains, 5],
      [Subjects.fleet.startInstanceDrains, 6],
    ]);
  });

  it('sends adoptions on their own subject', async () => {
    const { sender, sent } = setUp();
    const adopt: PendingFleetCommand = { type: 'AdoptDaemonTasks', data: { deploymentId, capacityProviderArn: 'cp', daemonArn: 'd', instanceIds: ['i-1'], toRevisionArn: 'rev' } };
    await sender.send([adopt], 3, meta);
    expect(sent).toEqual([{ subject: Subjects.fleet.adoptDaemonTasks, data: { ...adopt.data, fence: 3 } }]);
  });

  it('survives a refused command; the next resync sends it again', async () => {
    const { sender, sent, clock, refuse } = setUp();
    refuse.next = true;
    await sender.send([drains(['i-1'])], 5, meta);
    clock.now += 1_000;
    await sender.send([drains(['i-1'])], 5, meta);
    expect(sent).toHaveLength(2);
  });
});

// Fixtures last.
const deploymentId = 'aB1cD2eF3gH4iJ5k';
const meta: MessageMeta = { correlationId: 'c', scope: { accountId: '123456789012', region: 'us-east-1' }, principalArn: 'p' };
const drains = (instanceIds: string[]): PendingFleetCommand => ({
  type: 'StartInstanceDrains',
  data: { deploymentId, capacityProviderArn: 'cp', daemonArn: 'd', instanceIds, replacementDaemon: null },
});

/** A recorder in place of the transport (every request answered, or refused once when asked), and a settable clock. */
function setUp() {
  const sent: { subject: string; data: { instanceIds?: string[]; fence?: number } }[] = [];
  const refuse = { next: false };
  const rpc: RpcClient = {
    request: async <T>(subject: string, payload: unknown) => {
      sent.push({ subject, data: (payload as { data: never }).data });
      if (refuse.next) {
        refuse.next = false;
        throw new RemoteError(subject, { code: ErrorCode.StaleFencingToken, message: 'stale' });
      }
      return { result: {}, position: 1 } as T;
    },
    checkHealth: async () => undefined,
    close: async () => undefined,
  };
  const clock = { now: 1_000_000 };
  const sender = new FleetCommandSender(rpc, { now: () => clock.now }, loadConfig({ RESYNC_INTERVAL_MS: '1000' }));
  return { sender, sent, clock, refuse };
}
