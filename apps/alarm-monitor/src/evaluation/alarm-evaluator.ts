import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { alarmDecider, metricSeriesKey, parseAlarmArn, periodMillis, type ActiveMetricAlarm, type EvaluateAlarm } from '@daemonfleet/domain';
import { CLOCK, IDS, SERVICE_CONFIG, type Clock, type IdGenerator, type ServiceConfig } from '@daemonfleet/service-runtime';
import { ALARMS, type Alarms } from '../alarm.aggregates.js';
import { AlarmRegistry } from '../alarms/alarm-registry.js';
import { MetricWindows } from '../metrics/metric-windows.js';

/**
 * Evaluates the alarms in simulated time: each alarm when one of its periods ends (a period of `period` simulated
 * seconds lasts period × 1000 / TIME_SCALE ms), when data points of its metric arrive, and once when it is put.
 * One timer, re-armed at the earliest period end among the alarms. Evaluations of one alarm never overlap here;
 * requests during one coalesce into one more.
 *
 * Replicas all evaluate every alarm. The evaluation is idempotent and decided first on this replica's views, so
 * most end without touching the store; one that changes the state goes through the alarm's stream, fenced by its
 * version, and the domain ignores an evaluation made earlier, or on less data, than the state's last change.
 */
@Injectable()
export class AlarmEvaluator implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AlarmEvaluator.name);
  /** The end of each alarm's current period: when it is next evaluated. */
  private readonly dueAt = new Map<string, number>();
  /** The series each alarm watches, and the alarms watching each series. */
  private readonly seriesOf = new Map<string, string>();
  private readonly watchers = new Map<string, Set<string>>();
  private readonly runs = new Map<string, { again: boolean; done: Promise<void> }>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(ALARMS) private readonly alarms: Alarms,
    private readonly registry: AlarmRegistry,
    private readonly windows: MetricWindows,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.onConfigurationChange((streamId, alarm) => this.track(streamId, alarm));
    this.windows.onData((seriesKey) => {
      for (const streamId of this.watchers.get(seriesKey) ?? []) this.request(streamId);
    });
    for (const [streamId, alarm] of this.registry.entries()) this.track(streamId, alarm);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }

  /** An alarm was put (or deleted: `alarm` undefined): watch its metric over its range, and evaluate it soon. */
  private track(streamId: string, alarm: ActiveMetricAlarm | undefined): void {
    const previous = this.seriesOf.get(streamId);
    const seriesKey = alarm && metricSeriesKey(parseAlarmArn(alarm.spec.alarmArn)!.scope, alarm.spec);
    if (previous !== undefined && previous !== seriesKey) {
      this.watchers.get(previous)?.delete(streamId);
      this.rewatch(previous);
    }
    if (!alarm || seriesKey === undefined) {
      this.seriesOf.delete(streamId);
      this.dueAt.delete(streamId);
    } else {
      this.seriesOf.set(streamId, seriesKey);
      this.watchers.set(seriesKey, (this.watchers.get(seriesKey) ?? new Set()).add(streamId));
      this.rewatch(seriesKey);
      this.dueAt.set(streamId, this.periodEnd(alarm, this.clock.now()));
      this.request(streamId);
    }
    this.arm();
  }

  /** Keeps a series over the longest range of the alarms still watching it, or drops it when none does. */
  private rewatch(seriesKey: string): void {
    const watching = [...(this.watchers.get(seriesKey) ?? [])].flatMap((streamId) => this.registry.get(streamId) ?? []);
    if (watching.length === 0) {
      this.watchers.delete(seriesKey);
      this.windows.unwatch(seriesKey);
      return;
    }
    const longest = watching.reduce((a, b) => (this.retentionMs(a) >= this.retentionMs(b) ? a : b));
    this.windows.watch(parseAlarmArn(longest.spec.alarmArn)!.scope, longest.spec, this.retentionMs(longest));
  }

  /** The evaluation range, one more period for the newest one whose data may still be on its way, and one to spare. */
  private retentionMs(alarm: ActiveMetricAlarm): number {
    return (alarm.spec.evaluationPeriods + 2) * periodMillis(alarm.spec.period, this.config.timeScale);
  }

  private periodEnd(alarm: ActiveMetricAlarm, now: number): number {
    const length = periodMillis(alarm.spec.period, this.config.timeScale);
    return (Math.floor(now / length) + 1) * length;
  }

  private request(streamId: string): void {
    if (this.stopped) return;
    const running = this.runs.get(streamId);
    if (running) {
      running.again = true;
      return;
    }
    const run = { again: false, done: Promise.resolve() };
    this.runs.set(streamId, run);
    run.done = this.evaluateUntilSettled(streamId, run).finally(() => this.runs.delete(streamId));
  }

  private async evaluateUntilSettled(streamId: string, run: { again: boolean }): Promise<void> {
    do {
      run.again = false;
      try {
        await this.evaluate(streamId);
      } catch (error) {
        // The alarm's next period end evaluates it again.
        this.logger.warn(`evaluating ${streamId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    } while (run.again && !this.stopped);
  }

  private async evaluate(streamId: string): Promise<void> {
    const seriesKey = this.seriesOf.get(streamId);
    if (seriesKey === undefined) return;
    // Data the series could not load yet would be taken for missing: the next period end tries again.
    if (!(await this.windows.ready(seriesKey))) return;
    const alarm = this.registry.get(streamId);
    if (!alarm) return;
    const now = this.clock.now();
    const command: EvaluateAlarm = {
      type: 'EvaluateAlarm',
      data: { now, timeScale: this.config.timeScale, dataPosition: this.windows.dataPosition, datapoints: this.windows.datapoints(seriesKey, now) },
    };
    // Most evaluations change nothing: that is decided on this replica's view, without reading the stream.
    if (alarmDecider.decide(command, alarm).length === 0) return;
    await this.alarms.handle(streamId, command, { correlationId: this.ids.uuid(), now });
  }

  private arm(): void {
    clearTimeout(this.timer);
    if (this.stopped || this.dueAt.size === 0) return;
    let next = Infinity;
    for (const due of this.dueAt.values()) next = Math.min(next, due);
    this.timer = setTimeout(() => this.fire(), Math.max(0, next - this.clock.now()));
    this.timer.unref();
  }

  private fire(): void {
    const now = this.clock.now();
    for (const [streamId, due] of this.dueAt) {
      if (due > now) continue;
      const alarm = this.registry.get(streamId);
      if (alarm) this.dueAt.set(streamId, this.periodEnd(alarm, now));
      else this.dueAt.delete(streamId);
      this.request(streamId);
    }
    this.arm();
  }
}
