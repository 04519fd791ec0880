import type { EpochMillis, Event } from './event.js';

/** A CreateDaemon clientToken was first used: by this daemon, with these parameters (decision 9). */
export type DaemonClientTokenClaimed = Event<
  'DaemonClientTokenClaimed',
  {
    readonly clientToken: string;
    readonly daemonArn: string;
    readonly requestFingerprint: string;
    readonly claimedAt: EpochMillis;
  }
>;

export type DaemonClientTokenEvent = DaemonClientTokenClaimed;
