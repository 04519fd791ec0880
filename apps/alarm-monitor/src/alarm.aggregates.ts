import type { Provider } from '@nestjs/common';
import type { AlarmEvent } from '@daemonfleet/contracts';
import { alarmDecider, type AlarmCommand, type MetricAlarmState } from '@daemonfleet/domain';
import type { EventStore } from '@daemonfleet/event-store';
import { EVENT_STORE, EventSourcedAggregates, IDS, type IdGenerator } from '@daemonfleet/service-runtime';

/** The alarms this service owns, one stream each. One instance per process, so its cache stays coherent. */
export type Alarms = EventSourcedAggregates<MetricAlarmState, AlarmCommand, AlarmEvent>;

export const ALARMS = Symbol('ALARMS');

export const alarmAggregatesProvider: Provider = {
  provide: ALARMS,
  inject: [EVENT_STORE, IDS],
  useFactory: (store: EventStore, ids: IdGenerator): Alarms => new EventSourcedAggregates(store, alarmDecider, ids.uuid),
};
