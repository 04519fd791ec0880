import { Injectable } from '@nestjs/common';
import { Streams, type Scope } from '@daemonfleet/contracts';
import { parseAlarmArn, type ActiveMetricAlarm } from '@daemonfleet/domain';
import { ReadModelFeed } from '../read-models/read-model-feed.js';
import { ReadModels } from '../read-models/read-models.js';
import type { AlarmHistoryItem } from './alarm.read-model.js';

/** The alarms as the gateway's read models hold them; every answer reads its writes. */
@Injectable()
export class AlarmQueries {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: ReadModelFeed,
  ) {}

  async alarm(scope: Scope, alarmName: string): Promise<ActiveMetricAlarm | undefined> {
    await this.feed.fresh();
    return this.readModels.alarms.alarm(Streams.alarm(scope, alarmName));
  }

  /** The alarms of the account and region, in no order. */
  async alarms(scope: Scope): Promise<ActiveMetricAlarm[]> {
    await this.feed.fresh();
    return [...this.readModels.alarms.alarms()].filter((alarm) => {
      const arn = parseAlarmArn(alarm.spec.alarmArn);
      return arn?.scope.accountId === scope.accountId && arn.scope.region === scope.region;
    });
  }

  /** The history of an alarm that exists or existed, oldest first; undefined for a name never used. */
  async history(scope: Scope, alarmName: string): Promise<readonly AlarmHistoryItem[] | undefined> {
    await this.feed.fresh();
    return this.readModels.alarms.history(Streams.alarm(scope, alarmName));
  }

  /** The history of every alarm of the account and region that exists or existed, in no order. */
  async histories(scope: Scope): Promise<AlarmHistoryItem[]> {
    await this.feed.fresh();
    // A stream's items all name its alarm; the stream is the scope's when the scope and that name make it.
    return [...this.readModels.alarms.histories()].flatMap(([streamId, history]) => (history.length > 0 && streamId === Streams.alarm(scope, history[0].alarmName) ? history : []));
  }
}
