import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GetAlarmStatesQuery, MessageMeta, Streams, Subjects, type AlarmStateRecord } from '@daemonfleet/contracts';
import { ALARMS, type Alarms } from '../alarm.aggregates.js';

/**
 * The state of the alarms a deployment watches (spec 3.5), read from each alarm's stream, so an answer reflects
 * every change stored before the question: `null` for a name no alarm has in the caller's account and region.
 */
@Controller()
export class AlarmStateMessageController {
  constructor(@Inject(ALARMS) private readonly alarms: Alarms) {}

  @MessagePattern(Subjects.alarms.getAlarmStates)
  async getAlarmStates(@Payload('data') query: GetAlarmStatesQuery, @Payload('meta') meta: MessageMeta): Promise<{ alarms: AlarmStateRecord[] }> {
    const alarms = await Promise.all(
      query.alarmNames.map(async (alarmName) => {
        const { state } = await this.alarms.load(Streams.alarm(meta.scope, alarmName));
        return { alarmName, stateValue: state.status === 'ACTIVE' ? state.stateValue : null };
      }),
    );
    return { alarms };
  }
}
