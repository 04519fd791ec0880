import type { ActiveMetricAlarm } from '@daemonfleet/domain';
import type { AlarmHistoryItem } from '../../alarms/alarm.read-model.js';
import { epochSeconds } from '../../presenters/epoch-seconds.js';

/**
 * CloudWatch's MetricAlarm as its JSON protocol has it: PascalCase members, timestamps in epoch seconds. Alarm actions
 * are not run (deployments read alarm states themselves), so the action lists are empty. Only state changes are
 * recorded, so the state was updated and last transitioned at the same time.
 */
export function presentCloudWatchMetricAlarm(alarm: ActiveMetricAlarm) {
  const { spec } = alarm;
  return {
    AlarmName: spec.alarmName,
    AlarmArn: spec.alarmArn,
    AlarmDescription: spec.alarmDescription,
    AlarmConfigurationUpdatedTimestamp: epochSeconds(alarm.configurationUpdatedAt),
    ActionsEnabled: spec.actionsEnabled,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    StateValue: alarm.stateValue,
    StateReason: alarm.stateReason,
    StateReasonData: alarm.stateReasonData,
    StateUpdatedTimestamp: epochSeconds(alarm.stateUpdatedAt),
    StateTransitionedTimestamp: epochSeconds(alarm.stateUpdatedAt),
    MetricName: spec.metricName,
    Namespace: spec.namespace,
    Statistic: spec.statistic,
    Dimensions: spec.dimensions.map(({ name, value }) => ({ Name: name, Value: value })),
    Period: spec.period,
    EvaluationPeriods: spec.evaluationPeriods,
    DatapointsToAlarm: spec.datapointsToAlarm,
    Threshold: spec.threshold,
    ComparisonOperator: spec.comparisonOperator,
    TreatMissingData: spec.treatMissingData,
  };
}

/** CloudWatch's AlarmHistoryItem; its HistoryData is CloudWatch's own JSON document, camelCase inside. */
export function presentCloudWatchHistoryItem({ alarmName, timestamp, historyItemType, historySummary, historyData }: AlarmHistoryItem) {
  return { AlarmName: alarmName, AlarmType: 'MetricAlarm', Timestamp: epochSeconds(timestamp), HistoryItemType: historyItemType, HistorySummary: historySummary, HistoryData: historyData };
}
