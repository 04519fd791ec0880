import type { KnownTail } from './stream-version-cache.js';

/**
 * Where this process's last paged read of each stream stopped: the message it stopped in. A reader paging
 * through a long stream (`readStream` with `fromVersion` and `maxCount`, page after page) then starts each page
 * at that message instead of rescanning the subject from its first message, so reading a stream of n events in
 * pages costs O(n), not O(n² / page). Unlike the tails of StreamVersionCache it only decides where a read starts
 * (a later read overwrites an earlier point, whatever their order), never what an append expects. Bounded, LRU.
 */
export class ReadResumePoints {
  private readonly points = new Map<string, KnownTail>();

  constructor(private readonly maxStreams = 1_000) {}

  get(streamId: string): KnownTail | undefined {
    return this.points.get(streamId);
  }

  remember(streamId: string, point: KnownTail): void {
    this.points.delete(streamId);
    this.points.set(streamId, point);
    if (this.points.size > this.maxStreams) this.points.delete(this.points.keys().next().value as string);
  }
}
