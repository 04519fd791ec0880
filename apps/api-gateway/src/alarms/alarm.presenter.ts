import type { ActiveMetricAlarm } from '@daemonfleet/domain';
import { epochSeconds } from '../presenters/epoch-seconds.js';
import type { AlarmHistoryItem } from './alarm.read-model.js';

/**
 * CloudWatch's MetricAlarm, camelCase as the rest of the REST API, timestamps in epoch seconds. Alarm actions are not
 * run (deployments read alarm states themselves), so the action lists are empty. Only state changes are recorded,
 * so the state was updated and last transitioned at the same time.
 */
export function presentMetricAlarm(alarm: ActiveMetricAlarm) {
  const { spec } = alarm;
  return {
    alarmName: spec.alarmName,
    alarmArn: spec.alarmArn,
    alarmDescription: spec.alarmDescription,
    alarmConfigurationUpdatedTimestamp: epochSeconds(alarm.configurationUpdatedAt),
    actionsEnabled: spec.actionsEnabled,
    okActions: [],
    alarmActions: [],
    insufficientDataActions: [],
    stateValue: alarm.stateValue,
    stateReason: alarm.stateReason,
    stateReasonData: alarm.stateReasonData,
    stateUpdatedTimestamp: epochSeconds(alarm.stateUpdatedAt),
    stateTransitionedTimestamp: epochSeconds(alarm.stateUpdatedAt),
    metricName: spec.metricName,
    namespace: spec.namespace,
    statistic: spec.statistic,
    dimensions: spec.dimensions,
    period: spec.period,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    threshold: spec.threshold,
    comparisonOperator: spec.comparisonOperator,
    treatMissingData: spec.treatMissingData,
  };
}

/** CloudWatch's AlarmHistoryItem. */
export function presentAlarmHistoryItem({ alarmName, timestamp, historyItemType, historySummary, historyData }: AlarmHistoryItem) {
  return { alarmName, alarmType: 'MetricAlarm', timestamp: epochSeconds(timestamp), historyItemType, historySummary, historyData };
}
