import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { StreamCategory, type AlarmEvent } from '@daemonfleet/contracts';
import { evolveMetricAlarm, initialMetricAlarmState, type ActiveMetricAlarm, type MetricAlarmState } from '@daemonfleet/domain';
import type { EventStore, RecordedEvent, Subscription } from '@daemonfleet/event-store';
import { EVENT_STORE } from '@daemonfleet/service-runtime';

/** Told when an alarm is put (created or reconfigured) or deleted (`alarm` undefined); not on state changes. */
export type AlarmConfigurationListener = (streamId: string, alarm: ActiveMetricAlarm | undefined) => void;

/**
 * Every alarm of every account and region, as this replica knows them: what the evaluator evaluates. Rebuilt from the
 * alarm events at start, then kept current by a subscription from there. The subscription is not durable on
 * purpose: every replica needs every alarm (a durable one is shared, each event reaching one replica). Commands do
 * not read this view: they load the alarm's stream, fenced by its version.
 */
@Injectable()
export class AlarmRegistry implements OnModuleInit, BeforeApplicationShutdown {
  private readonly alarms = new Map<string, ActiveMetricAlarm>();
  private readonly listeners: AlarmConfigurationListener[] = [];
  private subscription?: Subscription;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    this.subscription = await this.store.subscribe({ fromPosition: 1, filter: { categories: [StreamCategory.alarm] } }, (event) => this.apply(event));
    await this.subscription.caughtUp;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  onConfigurationChange(listener: AlarmConfigurationListener): void {
    this.listeners.push(listener);
  }

  get(streamId: string): ActiveMetricAlarm | undefined {
    return this.alarms.get(streamId);
  }

  entries(): IterableIterator<[string, ActiveMetricAlarm]> {
    return this.alarms.entries();
  }

  private apply(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as AlarmEvent;
    const current: MetricAlarmState = this.alarms.get(recorded.streamId) ?? initialMetricAlarmState();
    const next = evolveMetricAlarm(current, event);
    if (next.status === 'ACTIVE') this.alarms.set(recorded.streamId, next);
    else this.alarms.delete(recorded.streamId);
    if (event.type === 'AlarmStateChanged') return;
    for (const listener of this.listeners) listener(recorded.streamId, next.status === 'ACTIVE' ? next : undefined);
  }
}
