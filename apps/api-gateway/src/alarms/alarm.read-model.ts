import { StreamCategory, type AlarmEvent, type MetricAlarmSpec } from '@daemonfleet/contracts';
import { evolveMetricAlarm, initialMetricAlarmState, type ActiveMetricAlarm, type MetricAlarmState } from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';

export type AlarmHistoryItemType = 'ConfigurationUpdate' | 'StateUpdate';

/** One item of CloudWatch's DescribeAlarmHistory. */
export interface AlarmHistoryItem {
  readonly alarmName: string;
  readonly timestamp: number;
  readonly historyItemType: AlarmHistoryItemType;
  readonly historySummary: string;
  /** A JSON document, as CloudWatch's historyData. */
  readonly historyData: string;
  /** Store position of the event: orders items of the same millisecond. */
  readonly position: number;
}

/** The latest items kept per alarm: a flapping alarm must not grow the gateway's memory without bound. */
export const HISTORY_ITEMS_KEPT = 1_000;

export interface AlarmEntry {
  readonly state: MetricAlarmState;
  readonly history: AlarmHistoryItem[];
}

/**
 * The alarms (streams `alarm-…`), folded with the alarm monitor's own evolve, and their history: configuration changes
 * and state changes, kept after the alarm is deleted, as CloudWatch keeps it. Fed by the ReadModels fan-out.
 */
export class AlarmReadModel {
  private entries = new Map<string, AlarmEntry>();
  private readonly prefix = `${StreamCategory.alarm}-`;

  /** Folds the event in if it is an alarm's; answers whether it was. */
  apply(recorded: RecordedEvent): boolean {
    if (!recorded.streamId.startsWith(this.prefix)) return false;
    const event = { type: recorded.type, data: recorded.data } as AlarmEvent;
    const entry = this.entries.get(recorded.streamId) ?? { state: initialMetricAlarmState(), history: [] };
    const item = historyItem(entry.state, event, recorded.globalPosition);
    entry.history.push(item);
    if (entry.history.length > HISTORY_ITEMS_KEPT) entry.history.shift();
    this.entries.set(recorded.streamId, { state: evolveMetricAlarm(entry.state, event), history: entry.history });
    return true;
  }

  alarm(streamId: string): ActiveMetricAlarm | undefined {
    const state = this.entries.get(streamId)?.state;
    return state?.status === 'ACTIVE' ? state : undefined;
  }

  *alarms(): IterableIterator<ActiveMetricAlarm> {
    for (const { state } of this.entries.values()) if (state.status === 'ACTIVE') yield state;
  }

  /** The alarm's history, oldest first; undefined for a name never used. */
  history(streamId: string): readonly AlarmHistoryItem[] | undefined {
    return this.entries.get(streamId)?.history;
  }

  /** Every alarm's history (deleted alarms' included), oldest first, with its stream. */
  *histories(): IterableIterator<readonly [streamId: string, history: readonly AlarmHistoryItem[]]> {
    for (const [streamId, { history }] of this.entries) yield [streamId, history];
  }

  /** What it holds, as plain data: its part of a read-model snapshot. */
  content(): Map<string, AlarmEntry> {
    return this.entries;
  }

  /** Replaces everything it holds (a snapshot's content, or nothing to start over). */
  restore(content = new Map<string, AlarmEntry>()): void {
    this.entries = content;
  }
}

function historyItem(before: MetricAlarmState, event: AlarmEvent, position: number): AlarmHistoryItem {
  switch (event.type) {
    case 'MetricAlarmPut': {
      const { alarm, putAt } = event.data;
      const created = before.status !== 'ACTIVE';
      const data = created ? { version: '1.0', type: 'Create', createdAlarm: configuration(alarm) } : { version: '1.0', type: 'Update', updatedAlarm: configuration(alarm), originalUpdatedFields: changedFields(before.spec, alarm) };
      return configurationItem(alarm.alarmName, putAt, `Alarm "${alarm.alarmName}" ${created ? 'created' : 'updated'}`, data, position);
    }
    case 'AlarmStateChanged': {
      const { alarmName, previousState, state, reason, reasonData, changedAt } = event.data;
      const oldState = { stateValue: previousState, ...(before.status === 'ACTIVE' ? { stateReason: before.stateReason } : {}) };
      const newState = { stateValue: state, stateReason: reason, ...(reasonData === undefined ? {} : { stateReasonData: JSON.parse(reasonData) as unknown }) };
      const historyData = JSON.stringify({ version: '1.0', oldState, newState });
      return { alarmName, timestamp: changedAt, historyItemType: 'StateUpdate', historySummary: `Alarm updated from ${previousState} to ${state}`, historyData, position };
    }
    case 'MetricAlarmDeleted': {
      const { alarmName, deletedAt } = event.data;
      const data = { version: '1.0', type: 'Delete', deletedAlarm: before.status === 'ACTIVE' ? configuration(before.spec) : { alarmName } };
      return configurationItem(alarmName, deletedAt, `Alarm "${alarmName}" deleted`, data, position);
    }
  }
}

function configurationItem(alarmName: string, timestamp: number, historySummary: string, data: object, position: number): AlarmHistoryItem {
  return { alarmName, timestamp, historyItemType: 'ConfigurationUpdate', historySummary, historyData: JSON.stringify(data), position };
}

/** The alarm's settings as CloudWatch's history shows them (without its ARN and tags). */
function configuration({ alarmArn: _arn, tags: _tags, ...settings }: MetricAlarmSpec): object {
  return settings;
}

/** The settings an update changed, with their values before it. */
function changedFields(before: MetricAlarmSpec, after: MetricAlarmSpec): Record<string, unknown> {
  const old = configuration(before) as Record<string, unknown>;
  const now = configuration(after) as Record<string, unknown>;
  const keys = new Set([...Object.keys(old), ...Object.keys(now)]);
  return Object.fromEntries([...keys].filter((key) => JSON.stringify(old[key]) !== JSON.stringify(now[key])).map((key) => [key, old[key] ?? null]));
}
