import type { DaemonClientTokenEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, it } from 'vitest';
import { ClientTokenReused } from '../shared/domain-errors.js';
import { daemonClientTokenDecider, type ClaimDaemonClientToken } from './daemon-client-token.decider.js';

const given = DeciderSpecification.for(daemonClientTokenDecider);

describe('ClaimDaemonClientToken (decision 9)', () => {
  it('claims an unused token for the daemon', () => given([]).when(claim(MONITOR, 'f1')).then([claimed(MONITOR, 'f1')]));

  it('lets a retry of the same request through, claiming nothing more', () => given([claimed(MONITOR, 'f1')]).when(claim(MONITOR, 'f1')).thenNothingHappened());

  it('refuses the token for another daemon name, even with the same parameters otherwise', () =>
    given([claimed(MONITOR, 'f1')]).when(claim(LOGS, 'f1')).thenThrows(ClientTokenReused));

  it('refuses the token for the same daemon with other parameters', () => given([claimed(MONITOR, 'f1')]).when(claim(MONITOR, 'f2')).thenThrows(ClientTokenReused));
});

// Fixtures last.
const MONITOR = 'arn:aws:ecs:us-east-1:123456789012:daemon/prod/monitor';
const LOGS = 'arn:aws:ecs:us-east-1:123456789012:daemon/prod/logs';
const T0 = 1_742_040_000_000;
function claim(daemonArn: string, requestFingerprint: string): ClaimDaemonClientToken {
  return { type: 'ClaimDaemonClientToken', data: { clientToken: 'token-1', daemonArn, requestFingerprint, now: T0 } };
}
function claimed(daemonArn: string, requestFingerprint: string): DaemonClientTokenEvent {
  return { type: 'DaemonClientTokenClaimed', data: { clientToken: 'token-1', daemonArn, requestFingerprint, claimedAt: T0 } };
}
