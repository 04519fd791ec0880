import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GetAlarmStatesQuery, Subjects, type AlarmStateRecord } from '@daemonfleet/contracts';

/**
 * The state of the alarms a deployment watches. Metric alarms (PutMetricAlarm, evaluation, SetAlarmState) are
 * not built yet, so no alarm exists and each name answers `null`: a deployment then finds none in ALARM at
 * its start. Answering from the alarms' own streams comes with the alarm work.
 */
@Controller()
export class AlarmStateMessageController {
  @MessagePattern(Subjects.alarms.getAlarmStates)
  getAlarmStates(@Payload('data') query: GetAlarmStatesQuery): { alarms: AlarmStateRecord[] } {
    return { alarms: query.alarmNames.map((alarmName) => ({ alarmName, stateValue: null })) };
  }
}
