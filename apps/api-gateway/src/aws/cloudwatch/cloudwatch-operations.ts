import { Injectable } from '@nestjs/common';
import type { AwsOperation, AwsService } from '../aws-protocol.js';
import { AlarmHistoryOperations } from './alarm-history.operations.js';
import type { CloudWatchOperationGroup } from './cloudwatch-operation.js';
import { CLOUDWATCH_PROTOCOL } from './cloudwatch-protocol.js';
import { MetricAlarmOperations } from './metric-alarm.operations.js';
import { MetricDataOperations } from './metric-data.operations.js';

/** Every group of CloudWatch operations, each a Nest provider. */
export const CLOUDWATCH_OPERATION_GROUPS = [MetricAlarmOperations, AlarmHistoryOperations, MetricDataOperations] as const;

/** The CloudWatch operations daemonfleet serves, by name: those of the metric alarms deployments watch. */
@Injectable()
export class CloudWatchOperations implements AwsService {
  readonly protocol = CLOUDWATCH_PROTOCOL;
  private readonly byName: ReadonlyMap<string, AwsOperation>;

  constructor(alarms: MetricAlarmOperations, history: AlarmHistoryOperations, metricData: MetricDataOperations) {
    const groups: CloudWatchOperationGroup[] = [alarms, history, metricData];
    this.byName = new Map(groups.flatMap((group) => Object.entries(group.operations)));
  }

  operation(name: string): AwsOperation | undefined {
    return this.byName.get(name);
  }
}
