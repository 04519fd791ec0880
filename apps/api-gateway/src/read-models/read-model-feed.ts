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
  /** Global position of the last event folded in when the rebuilt read models took over. */
  readonly position: number;
  /** Events the rebuild folded, from the store's first one. */
  readonly eventsFolded: number;
  readonly durationMs: number;
}

/** Where the read models stand: GET /v1/projections. */
export interface ReadModelStatus {
  /** Global position of the last event they hold. */
  readonly position: number;
  /** Whether they caught up with the store as it was when the gateway started. */
  readonly caughtUp: boolean;
  /** What the gateway started from: its snapshot in DATA_DIR (at that position), or the store's first event. */
  readonly startedFrom: { readonly source: 'snapshot'; readonly position: number } | { readonly source: 'store' };
  readonly rebuilding: boolean;
  readonly lastRebuild: RebuildReport | null;
}

/** Told about every event once the read models hold it. */
export type ReadModelListener = (event: RecordedEvent) => void;

/** Read models being rebuilt from the store's first event, beside the live ones, until they take over. */
interface Rebuild {
  readonly models: ReadModels;
  handled: number;
  lastEventId: string;
  folded: number;
  subscription?: Subscription;
  /** Once set: the live read models stopped at this position; the rebuilt ones take over when they hold it. */
  swapAt: number | null;
  /** The generation of the live feed once this rebuild's subscription has become it. */
  generation: number;
  readonly done: Promise<void>;
  finish(error?: Error): void;
}

/**
 * Feeds the read models from the store (an ephemeral subscription: each gateway replica holds its own copy), and
 * gives "read your writes": before answering, a query waits, within a bound, until the read models have passed the
 * store's head as it was when the query arrived. Any write acknowledged before the query was sent is then visible,
 * whichever replica took the write.
 *
 * The read models start from their snapshot in DATA_DIR when there is one of this store (ReadModelSnapshots), and
 * from the store's first event otherwise (the first start, a snapshot removed, damaged or of other code). Once
 * caught up, a snapshot is written whenever `PROJECTION_SNAPSHOT_EVERY` events were folded since the last one (a
 * small store has none: rebuilding it costs less than the file).
 *
 * `rebuild()` drops the snapshot and rebuilds every read model from the store's first event while the system runs,
 * beside the live ones, which go on answering: once the new ones have caught up, the live ones stop where they are,
 * the new ones fold up to that same event and replace them in one step (no query runs in between), and their
 * subscription goes on as the live feed. No answer ever comes from half-built read models, and a query that needs
 * a write newer than the live ones held waits for the new ones, as it waits for any write.
 */
@Injectable()
export class ReadModelFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReadModelFeed.name);
  private readonly snapshots: ReadModelSnapshots;
  private subscription?: Subscription;
  /** Bumped whenever the live feed stops or changes hands: a handler of an older one folds nothing more. */
  private generation = 0;
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private readonly listeners = new Set<ReadModelListener>();
  private handled = 0;
  private lastEventId = '';
  private caughtUp = false;
  private startedFrom: ReadModelStatus['startedFrom'] = { source: 'store' };
  /** Events folded since the last snapshot was written or taken up (all of them when there was none). */
  private sinceSnapshot = 0;
  private snapshotWrite: Promise<void> | null = null;
  private rebuilding: Promise<RebuildReport> | null = null;
  private building: Rebuild | null = null;
  private lastRebuild: RebuildReport | null = null;
  private stopped = false;

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
    this.stopped = true;
    this.generation++;
    const building = this.building;
    this.building = null;
    building?.finish(new Error('the gateway is stopping'));
    await building?.subscription?.stop();
    await this.subscription?.stop();
    await this.snapshotWrite;
  }

  /** Whether the read models have caught up with the store as it was when the gateway started. */
  checkCaughtUp(): void {
    if (!this.caughtUp) throw new Error(`read models are still catching up (at position ${this.handled})`);
  }

  /** Where the read models are: the global position of the last event they hold. */
  position(): number {
    return this.handled;
  }

  status(): ReadModelStatus {
    return { position: this.handled, caughtUp: this.caughtUp, startedFrom: this.startedFrom, rebuilding: this.building !== null, lastRebuild: this.lastRebuild };
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

  /** Tells `listener` about every event the read models take in from now on (during a rebuild, one may come twice); answers how to stop. */
  onEvent(listener: ReadModelListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops the snapshot and rebuilds the read models from the store's first event; resolves once the new ones answer. One at a time. */
  rebuild(): Promise<RebuildReport> {
    this.rebuilding ??= this.rebuildFromStart().finally(() => {
      this.rebuilding = null;
    });
    return this.rebuilding;
  }

  private async rebuildFromStart(): Promise<RebuildReport> {
    if (this.stopped) throw new Error('the gateway is stopping');
    const started = performance.now();
    let finish!: (error?: Error) => void;
    const done = new Promise<void>((resolve, reject) => {
      finish = (error) => (error ? reject(error) : resolve());
    });
    // Awaited below, or not at all when the gateway stops first: never an unhandled rejection.
    done.catch(() => undefined);
    const building: Rebuild = { models: this.readModels.emptyCopy(), handled: 0, lastEventId: '', folded: 0, swapAt: null, generation: -1, done, finish };
    // From here no snapshot is written; one being written finishes first, then goes: the rebuilt read models owe nothing to it.
    this.building = building;
    let liveStopped = false;
    try {
      await this.snapshotWrite;
      await this.snapshots.remove();
      building.subscription = await this.store.subscribe(
        {
          fromPosition: 1,
          onHandlerError: (error, event) => this.logger.error(`rebuilt read model failed on ${event.type} at ${event.globalPosition}: ${String(error)}`),
        },
        (event) => {
          if (this.building === building) this.foldRebuilt(building, event);
          else if (building.generation === this.generation) this.fold(event);
        },
      );
      // `done` fails when the gateway stops meanwhile, ending the wait.
      await Promise.race([building.subscription.caughtUp, done]);
      // The live read models stop where they are; the rebuilt ones take over once they hold as much.
      this.generation++;
      liveStopped = true;
      await this.subscription?.stop();
      building.swapAt = this.handled;
      if (building.handled >= building.swapAt) this.takeOver(building);
      await done;
    } catch (error) {
      if (this.building === building) this.building = null;
      await building.subscription?.stop();
      // The live read models go on from where they stopped.
      if (liveStopped && !this.stopped) await this.follow(this.handled);
      throw error;
    }
    const report = { position: this.handled, eventsFolded: building.folded, durationMs: Math.round(performance.now() - started) };
    this.lastRebuild = report;
    this.logger.log(`read models rebuilt from the store: ${report.eventsFolded} events in ${report.durationMs} ms, at position ${report.position}`);
    return report;
  }

  private foldRebuilt(building: Rebuild, event: RecordedEvent): void {
    building.models.apply(event);
    building.handled = event.globalPosition;
    building.lastEventId = event.metadata.eventId;
    building.folded++;
    // An event the live read models have not taken in (yet: they may stop before it) is told from here; one they take
    // in later is told twice, which a listener takes as what it is, a hint to look (DeploymentWatch reads the stream).
    if (event.globalPosition > this.handled) for (const listener of this.listeners) listener(event);
    if (building.swapAt !== null && building.handled >= building.swapAt) this.takeOver(building);
  }

  /** The rebuilt read models replace the live ones, all at once; their subscription becomes the live feed. */
  private takeOver(building: Rebuild): void {
    this.readModels.restore(building.models.content());
    this.handled = building.handled;
    this.lastEventId = building.lastEventId;
    this.subscription = building.subscription;
    building.generation = ++this.generation;
    this.building = null;
    this.caughtUp = true;
    this.sinceSnapshot = building.folded;
    this.releaseWaiters();
    building.finish();
    this.maybeWriteSnapshot();
  }

  /** Subscribes from just after `position`, where the read models are. */
  private async follow(position: number): Promise<void> {
    const generation = ++this.generation;
    this.handled = position;
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
    this.sinceSnapshot++;
    this.releaseWaiters();
    for (const listener of this.listeners) listener(event);
    if (this.caughtUp) this.maybeWriteSnapshot();
  }

  private releaseWaiters(): void {
    for (const waiter of this.waiters) if (waiter.position <= this.handled) waiter.resolve();
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
    this.startedFrom = { source: 'snapshot', position: snapshot.position };
    this.logger.log(`read models taken up from ${this.snapshots.path} at position ${snapshot.position}`);
    return snapshot.position;
  }

  private snapshotsEnabled(): boolean {
    return this.config.projectionSnapshotEvery > 0;
  }

  /** A snapshot once enough events were folded since the last, one write at a time, never during a rebuild. */
  private maybeWriteSnapshot(): void {
    if (!this.snapshotsEnabled() || this.snapshotWrite || this.building || this.sinceSnapshot < this.config.projectionSnapshotEvery) return;
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
