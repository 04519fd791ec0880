import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ErrorCode } from '@daemonfleet/contracts';
import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { EVENT_STORE, SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { ReadModelSnapshots } from './read-model-snapshots.js';
import { ReadModels } from './read-models.js';

export class ReadModelBehindError extends Error {
  readonly code = ErrorCode.ServiceUnavailable;
}

/** What a rebuild of the read models from the store did. */
export interface RebuildReport {
  /** Global position of the last event folded in. */
  readonly position: number;
  readonly eventsFolded: number;
  readonly durationMs: number;
}

/** Told about every event once the read models hold it. */
export type ReadModelListener = (event: RecordedEvent) => void;

/**
 * Feeds the read models from the store (an ephemeral subscription: each gateway replica holds its own copy), and
 * gives "read your writes": before answering, a query waits, within a bound, until the read models have passed the
 * store's head as it was when the query arrived. Any write acknowledged before the query was sent is then visible,
 * whichever replica took the write.
 *
 * The read models start from their snapshot in DATA_DIR when there is one of this store (ReadModelSnapshots), and
 * from the store's first event otherwise. Once caught up, a snapshot is written whenever `PROJECTION_SNAPSHOT_EVERY`
 * events were folded since the last one (a small store has none: rebuilding it costs less than the file).
 * `rebuild()` drops them and their snapshot and folds the store again from its start while the system runs:
 * queries meanwhile wait for the rebuild to pass the head, as they wait for any write, so no answer comes from
 * half-built read models.
 */
@Injectable()
export class ReadModelFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReadModelFeed.name);
  private readonly snapshots: ReadModelSnapshots;
  private subscription?: Subscription;
  /** Bumped at every (re)start of the subscription: a handler of an older one folds nothing more. */
  private generation = 0;
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private readonly listeners = new Set<ReadModelListener>();
  private handled = 0;
  private lastEventId = '';
  private caughtUp = false;
  /** Events folded since the gateway started: a rebuild reports how many it folded. */
  private folded = 0;
  /** Events folded since the last snapshot was written or taken up (all of them when there was none). */
  private sinceSnapshot = 0;
  private snapshotWrite: Promise<void> | null = null;
  private rebuilding: Promise<RebuildReport> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly readModels: ReadModels,
  ) {
    this.snapshots = ReadModelSnapshots.of(config);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.follow(await this.takeUpSnapshot());
  }

  async onApplicationShutdown(): Promise<void> {
    this.generation++;
    await this.subscription?.stop();
    await this.snapshotWrite;
  }

  /** Whether the read models have caught up with the store as it was when the gateway started (or the rebuild began). */
  checkCaughtUp(): void {
    if (!this.caughtUp) throw new Error(`read models are still catching up (at position ${this.handled})`);
  }

  /** Where the read models are: the global position of the last event they hold. */
  position(): number {
    return this.handled;
  }

  /** Resolves once the read models reflect every write acknowledged before this call. */
  async fresh(): Promise<void> {
    const head = await this.store.headPosition();
    if (this.handled >= head) return;
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        position: head,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new ReadModelBehindError(`read models are at position ${this.handled}, behind ${head}, after ${this.config.readModelWaitMs} ms`));
      }, this.config.readModelWaitMs);
      this.waiters.add(waiter);
    });
  }

  /** Tells `listener` about every event folded from now on (during a rebuild, the old ones again); answers how to stop. */
  onEvent(listener: ReadModelListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops the read models and their snapshot and folds the whole store again; resolves once caught up. One at a time. */
  rebuild(): Promise<RebuildReport> {
    this.rebuilding ??= this.rebuildFromStart().finally(() => {
      this.rebuilding = null;
    });
    return this.rebuilding;
  }

  private async rebuildFromStart(): Promise<RebuildReport> {
    const started = performance.now();
    this.generation++;
    await this.subscription?.stop();
    await this.snapshotWrite;
    await this.snapshots.remove();
    this.readModels.restore();
    this.sinceSnapshot = 0;
    const foldedBefore = this.folded;
    await this.follow(0);
    await this.subscription!.caughtUp;
    return { position: this.handled, eventsFolded: this.folded - foldedBefore, durationMs: Math.round(performance.now() - started) };
  }

  /** Subscribes from just after `position`, where the read models are. */
  private async follow(position: number): Promise<void> {
    const generation = ++this.generation;
    this.handled = position;
    this.caughtUp = false;
    const subscription = await this.store.subscribe(
      {
        fromPosition: position + 1,
        onHandlerError: (error, event) => this.logger.error(`read model failed on ${event.type} at ${event.globalPosition}: ${String(error)}`),
      },
      (event) => {
        if (generation === this.generation) this.fold(event);
      },
    );
    this.subscription = subscription;
    void subscription.caughtUp.then(() => {
      if (generation !== this.generation) return;
      this.caughtUp = true;
      this.maybeWriteSnapshot();
    });
  }

  private fold(event: RecordedEvent): void {
    this.readModels.apply(event);
    this.handled = event.globalPosition;
    this.lastEventId = event.metadata.eventId;
    this.folded++;
    this.sinceSnapshot++;
    for (const waiter of this.waiters) if (waiter.position <= this.handled) waiter.resolve();
    for (const listener of this.listeners) listener(event);
    if (this.caughtUp) this.maybeWriteSnapshot();
  }

  /** The snapshot's position when it is one of this store, after restoring the read models from it; 0 otherwise. */
  private async takeUpSnapshot(): Promise<number> {
    if (!this.snapshotsEnabled()) return 0;
    const snapshot = await this.snapshots.load();
    if (!snapshot) return 0;
    const [event] = await this.store.readAll({ fromPosition: snapshot.position, maxCount: 1 });
    if (event?.globalPosition !== snapshot.position || event.metadata.eventId !== snapshot.eventId) {
      this.logger.warn(`read model snapshot ${this.snapshots.path} is not of this event store: rebuilding from the store`);
      return 0;
    }
    this.readModels.restore(snapshot.content);
    this.lastEventId = snapshot.eventId;
    this.sinceSnapshot = 0;
    this.logger.log(`read models taken up from ${this.snapshots.path} at position ${snapshot.position}`);
    return snapshot.position;
  }

  private snapshotsEnabled(): boolean {
    return this.config.projectionSnapshotEvery > 0;
  }

  /** A snapshot once enough events were folded since the last, one write at a time. */
  private maybeWriteSnapshot(): void {
    if (!this.snapshotsEnabled() || this.snapshotWrite || this.sinceSnapshot < this.config.projectionSnapshotEvery) return;
    this.snapshotWrite = this.writeSnapshot().finally(() => {
      this.snapshotWrite = null;
    });
  }

  private async writeSnapshot(): Promise<void> {
    const folded = this.sinceSnapshot;
    try {
      // save() serialises before its first await: the content is the read models at `handled`, not later.
      await this.snapshots.save({ position: this.handled, eventId: this.lastEventId, content: this.readModels.content() });
      this.sinceSnapshot -= folded;
    } catch (error) {
      this.logger.warn(`could not write the read model snapshot ${this.snapshots.path}: ${String(error)}`);
    }
  }
}
