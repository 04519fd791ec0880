/** The last message this process knows of for one stream. */
export interface KnownTail {
  /** The stream's version after that message (0 with seq 0: the stream is empty). */
  readonly version: number;
  /** Its stream sequence (0 when the stream is empty). */
  readonly seq: number;
  /** How many events it holds (0 when the stream is empty). */
  readonly count: number;
}

export const EMPTY_TAIL: KnownTail = { version: 0, seq: 0, count: 0 };

/**
 * What this process last saw at the end of each stream, so an append needs no lookup when nobody else wrote
 * in between, and a read of a stream's tail can start at the right message. It may be stale (other processes
 * append too): every use is checked by the server (the expected-last-subject-sequence header) or only decides
 * where a read starts, never what it returns. Bounded, dropping the least recently used stream.
 */
export class StreamVersionCache {
  private readonly tails = new Map<string, KnownTail>();

  constructor(private readonly maxStreams = 10_000) {}

  get(streamId: string): KnownTail | undefined {
    const tail = this.tails.get(streamId);
    if (tail) {
      this.tails.delete(streamId);
      this.tails.set(streamId, tail);
    }
    return tail;
  }

  /** Records a tail unless a later one is already known (sequences only grow). */
  remember(streamId: string, tail: KnownTail): void {
    const known = this.tails.get(streamId);
    if (known && known.seq > tail.seq) return;
    this.tails.delete(streamId);
    this.tails.set(streamId, tail);
    if (this.tails.size > this.maxStreams) this.tails.delete(this.tails.keys().next().value as string);
  }

  forget(streamId: string): void {
    this.tails.delete(streamId);
  }
}
