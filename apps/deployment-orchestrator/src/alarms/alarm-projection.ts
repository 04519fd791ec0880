import { Injectable } from '@nestjs/common';
import { Streams, type AlarmEvent, type AlarmState, type Scope } from '@daemonfleet/contracts';
import type { AlarmView } from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';

/**
 * The orchestrator's view of the alarms (spec 3.5), folded from the alarm streams the alarm monitor appends to:
 * each alarm's state, and how many times it has gone into ALARM (which tells a deployment whether an alarm in
 * ALARM at its start has left ALARM and come back since). Keyed by stream, so names are per account and region.
 * A deleted alarm is absent from the view but keeps its count, should it be put again.
 * Events must be applied once each, in stream order (the caller's position guard sees to it).
 */
@Injectable()
export class AlarmProjection {
  private readonly byStream = new Map<string, { state: AlarmState | null; timesInAlarm: number }>();

  apply(event: RecordedEvent): void {
    const { type, data } = event as unknown as AlarmEvent;
    const known = this.byStream.get(event.streamId);
    switch (type) {
      case 'MetricAlarmPut':
        // A new alarm has no data yet (CloudWatch); one put again keeps its state.
        if (!known?.state) this.byStream.set(event.streamId, { state: 'INSUFFICIENT_DATA', timesInAlarm: known?.timesInAlarm ?? 0 });
        return;
      case 'AlarmStateChanged': {
        const timesInAlarm = (known?.timesInAlarm ?? 0) + (data.state === 'ALARM' && known?.state !== 'ALARM' ? 1 : 0);
        this.byStream.set(event.streamId, { state: data.state, timesInAlarm });
        return;
      }
      case 'MetricAlarmDeleted':
        if (known) known.state = null;
        return;
    }
  }

  /** The named alarms of one account and region, as a deployment observes them. */
  view(scope: Scope, alarmNames: readonly string[]): AlarmView {
    return Object.fromEntries(
      alarmNames.flatMap((name) => {
        const alarm = this.byStream.get(Streams.alarm(scope, name));
        return alarm?.state ? [[name, { state: alarm.state, timesInAlarm: alarm.timesInAlarm }]] : [];
      }),
    );
  }
}
