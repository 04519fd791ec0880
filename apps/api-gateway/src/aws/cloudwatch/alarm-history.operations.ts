import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { AlarmQueries } from '../../alarms/alarm.queries.js';
import { NextTokens, timeSortKey } from '../../pagination/next-token.js';
import type { AwsRequestContext } from '../aws-protocol.js';
import { cloudWatchOperation, pagedOperation, pageOrInvalidNextToken, type CloudWatchOperationGroup } from './cloudwatch-operation.js';
import { DescribeAlarmHistoryRequest } from './cloudwatch-requests.dto.js';
import { presentCloudWatchHistoryItem } from './metric-alarm.presenter.js';

/**
 * DescribeAlarmHistory, from the gateway's alarm read model: configuration updates and state updates (actions are not
 * run, so there are no Action items), kept after an alarm is deleted, as CloudWatch keeps them.
 */
@Injectable()
export class AlarmHistoryOperations implements CloudWatchOperationGroup {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly alarms: AlarmQueries,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  readonly operations = {
    DescribeAlarmHistory: cloudWatchOperation('DescribeAlarmHistory', DescribeAlarmHistoryRequest, {}, (input, context) => this.history(input, context)),
  };

  /**
   * One alarm's history, or every alarm's of the account and region without AlarmName (a name never used has none),
   * newest first unless ScanBy, 100 a page unless MaxRecords; StartDate and EndDate are inclusive. Only metric alarms
   * exist here, without contributors: other AlarmTypes, and any AlarmContributorId, match nothing.
   */
  private async history(input: DescribeAlarmHistoryRequest, context: AwsRequestContext) {
    const { AlarmName: name, AlarmContributorId: contributor, HistoryItemType: type, StartDate: start, EndDate: end, ScanBy: scanBy } = input;
    const types = input.AlarmTypes?.length ? input.AlarmTypes : undefined;
    const metricAlarms = contributor === undefined && (types ?? ['MetricAlarm']).includes('MetricAlarm');
    const items = !metricAlarms ? [] : name === undefined ? await this.alarms.histories(context.scope) : ((await this.alarms.history(context.scope, name)) ?? []);
    const matching = items.filter(
      (item) =>
        (type === undefined || item.historyItemType === type) &&
        (start === undefined || item.timestamp >= start * 1000) &&
        (end === undefined || item.timestamp <= end * 1000),
    );
    const descending = scanBy !== 'TimestampAscending';
    const filters = { name, contributor, types, type, start, end, scanBy };
    const page = pageOrInvalidNextToken(() =>
      this.nextTokens.page(
        pagedOperation('DescribeAlarmHistory', context),
        filters,
        matching,
        // Items of the same millisecond keep the order of the store (their position), reversed when descending.
        ({ timestamp, position }) => timeSortKey(timestamp, String(descending ? Number.MAX_SAFE_INTEGER - position : position).padStart(16, '0'), { descending }),
        { maxResults: input.MaxRecords ?? 100, nextToken: input.NextToken },
      ),
    );
    return { AlarmHistoryItems: page.items.map(presentCloudWatchHistoryItem), NextToken: page.nextToken };
  }
}
