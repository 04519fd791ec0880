import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { METRIC_DATA_BUCKET_MS, StreamCategory, Streams, type MetricDataPut, type Scope } from '@daemonfleet/contracts';
import { canonicalDimensions, metricSeriesKey, type MetricDatapoint, type MetricReference } from '@daemonfleet/domain';
import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '@daemonfleet/service-runtime';
import { metricDataStreamScope } from './metric-data-streams.js';

/** Data points may be stamped up to two hours ahead (PutMetricData): a load reads those hours too. */
const AHEAD_MS = 2 * 3_600_000;
const READ_PAGE = 1_000;

interface WatchedSeries {
  readonly scope: Scope;
  readonly metric: MetricReference;
  /** How far back data points are kept: the longest evaluation range of the alarms watching the series. */
  retentionMs: number;
  /** How far back the last load from the store reached. */
  readonly loadedMs: number;
  /** Sorted by timestamp. */
  readonly points: MetricDatapoint[];
  /** Whether the load from the store succeeded (never rejects). */
  readonly loaded: Promise<boolean>;
}

/**
 * The recent data points of every metric an alarm watches, in memory (bounded: each series keeps its alarms'
 * longest evaluation range), for evaluation. Fed by a subscription on the metric data from the store's head at start,
 * on every replica (not durable: each needs every data point); a series starts being watched with a load of its
 * range from the hourly metric streams.
 *
 * Invariant: `dataPosition` is the store position of the newest metric event applied; every watched series holds
 * every stored data point of its range up to it, once `ready`. A load takes the events at or before the position of
 * the moment it starts, the subscription those after: nothing is missed or counted twice.
 */
@Injectable()
export class MetricWindows implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(MetricWindows.name);
  private position = 0;
  private readonly series = new Map<string, WatchedSeries>();
  private readonly listeners: ((seriesKey: string) => void)[] = [];
  private subscription?: Subscription;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.position = await this.store.headPosition();
    this.subscription = await this.store.subscribe({ fromPosition: this.position + 1, filter: { categories: [StreamCategory.metric] } }, (event) =>
      this.apply(event),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  get dataPosition(): number {
    return this.position;
  }

  /** Told of each watched series new data points arrived for. */
  onData(listener: (seriesKey: string) => void): void {
    this.listeners.push(listener);
  }

  /** Keeps the series' data points of the last `retentionMs`; a longer range than loaded so far is loaded again. */
  watch(scope: Scope, metric: MetricReference, retentionMs: number): string {
    const key = metricSeriesKey(scope, metric);
    const current = this.series.get(key);
    if (current && retentionMs <= current.loadedMs) {
      current.retentionMs = retentionMs;
      return key;
    }
    this.startLoad(key, scope, { namespace: metric.namespace, metricName: metric.metricName, dimensions: canonicalDimensions(metric.dimensions) }, retentionMs);
    return key;
  }

  unwatch(seriesKey: string): void {
    this.series.delete(seriesKey);
  }

  /**
   * Resolves once the series holds its stored range: true then (and at once for a series not watched), false when
   * its load failed (the store unavailable), in which case a new one has started.
   */
  async ready(seriesKey: string): Promise<boolean> {
    for (;;) {
      const series = this.series.get(seriesKey);
      if (!series) return true;
      const loaded = await series.loaded;
      // Reloaded meanwhile (a longer range): the new load is the one to wait for.
      if (this.series.get(seriesKey) !== series) continue;
      if (!loaded) this.startLoad(seriesKey, series.scope, series.metric, series.retentionMs);
      return loaded;
    }
  }

  /** A copy of the series' data points within its range at `now`, oldest first. */
  datapoints(seriesKey: string, now: number): MetricDatapoint[] {
    const series = this.series.get(seriesKey);
    if (!series) return [];
    prune(series, now);
    return [...series.points];
  }

  /** (Re)starts the series from the store: what is stored up to now, the subscription adding what comes after. */
  private startLoad(key: string, scope: Scope, metric: MetricReference, retentionMs: number): void {
    const points: MetricDatapoint[] = [];
    const loaded = this.load(scope, metric, points, retentionMs, this.position).then(
      () => true,
      (error: unknown) => {
        this.logger.warn(`loading the metric data of ${key} failed: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      },
    );
    this.series.set(key, { scope, metric, retentionMs, loadedMs: retentionMs, points, loaded });
  }

  private async load(scope: Scope, metric: MetricReference, points: MetricDatapoint[], retentionMs: number, upTo: number): Promise<void> {
    const now = this.clock.now();
    const key = metricSeriesKey(scope, metric);
    for (let bucket = Math.floor((now - retentionMs) / METRIC_DATA_BUCKET_MS); bucket <= Math.floor((now + AHEAD_MS) / METRIC_DATA_BUCKET_MS); bucket++) {
      const streamId = Streams.metricData(scope, metric.namespace, bucket);
      for (let fromVersion = 1; ; fromVersion += READ_PAGE) {
        const events = await this.store.readStream(streamId, { fromVersion, maxCount: READ_PAGE });
        for (const event of events) if (event.globalPosition <= upTo) this.add(scope, event, points, key);
        if (events.length < READ_PAGE) break;
      }
    }
  }

  private apply(event: RecordedEvent): void {
    // Delivery is at least once: an event seen already (its data points are in) is skipped, or they would count twice.
    if (event.globalPosition <= this.position) return;
    this.position = event.globalPosition;
    if (event.type !== 'MetricDataPut') return;
    const scope = metricDataStreamScope(event.streamId);
    const touched = new Set<string>();
    const { namespace, datapoints } = event.data as MetricDataPut['data'];
    const now = this.clock.now();
    for (const { metricName, dimensions, timestamp, value } of datapoints) {
      const key = metricSeriesKey(scope, { namespace, metricName, dimensions });
      const series = this.series.get(key);
      if (!series) continue;
      insert(series.points, { timestamp, value });
      prune(series, now);
      touched.add(key);
    }
    for (const key of touched) for (const listener of this.listeners) listener(key);
  }

  /** Adds the data points of one stored event that belong to the series. */
  private add(scope: Scope, event: RecordedEvent, points: MetricDatapoint[], key: string): void {
    const { namespace, datapoints } = event.data as MetricDataPut['data'];
    for (const { metricName, dimensions, timestamp, value } of datapoints)
      if (metricSeriesKey(scope, { namespace, metricName, dimensions }) === key) insert(points, { timestamp, value });
  }
}

/** Data points mostly come in time order: appended, or placed by binary search when late. */
function insert(points: MetricDatapoint[], point: MetricDatapoint): void {
  if (points.length === 0 || points[points.length - 1].timestamp <= point.timestamp) {
    points.push(point);
    return;
  }
  let low = 0;
  let high = points.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (points[middle].timestamp <= point.timestamp) low = middle + 1;
    else high = middle;
  }
  points.splice(low, 0, point);
}

function prune(series: WatchedSeries, now: number): void {
  const oldest = now - series.retentionMs;
  let drop = 0;
  while (drop < series.points.length && series.points[drop].timestamp < oldest) drop++;
  if (drop > 0) series.points.splice(0, drop);
}
