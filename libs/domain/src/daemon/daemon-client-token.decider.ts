import type { DaemonClientTokenClaimed, DaemonClientTokenEvent, EpochMillis } from '@daemonfleet/contracts';
import { assertNever, type Decider } from '../shared/decider.js';
import { ClientTokenReused } from '../shared/domain-errors.js';

/**
 * Which daemon a CreateDaemon clientToken belongs to, per account and region (decision 9). The daemon's own stream
 * only sees tokens used with its name; this index sees a token reused under another name too.
 */
export type DaemonClientTokenState =
  | { readonly status: 'NONE' }
  | { readonly status: 'CLAIMED'; readonly daemonArn: string; readonly requestFingerprint: string };

/** CreateDaemon's token, before the daemon is created: the first use claims it; a retry of that use passes. */
export type ClaimDaemonClientToken = {
  readonly type: 'ClaimDaemonClientToken';
  readonly data: { readonly clientToken: string; readonly daemonArn: string; readonly requestFingerprint: string; readonly now: EpochMillis };
};

export type DaemonClientTokenCommand = ClaimDaemonClientToken;

const claim = ({ data }: ClaimDaemonClientToken, state: DaemonClientTokenState): DaemonClientTokenClaimed[] => {
  if (state.status === 'NONE')
    return [{ type: 'DaemonClientTokenClaimed', data: { clientToken: data.clientToken, daemonArn: data.daemonArn, requestFingerprint: data.requestFingerprint, claimedAt: data.now } }];
  // The same daemon (same cluster and name) and the same parameters: a retry, decided by the daemon itself.
  if (state.daemonArn === data.daemonArn && state.requestFingerprint === data.requestFingerprint) return [];
  throw new ClientTokenReused();
};

export const daemonClientTokenDecider: Decider<DaemonClientTokenState, DaemonClientTokenCommand, DaemonClientTokenEvent> = {
  initialState: () => ({ status: 'NONE' }),
  evolve: (_state, event) => {
    switch (event.type) {
      case 'DaemonClientTokenClaimed':
        return { status: 'CLAIMED', daemonArn: event.data.daemonArn, requestFingerprint: event.data.requestFingerprint };
      default:
        return assertNever(event.type);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'ClaimDaemonClientToken':
        return claim(command, state);
      default:
        return assertNever(command.type);
    }
  },
};
