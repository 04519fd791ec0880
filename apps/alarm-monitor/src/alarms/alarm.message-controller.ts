import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DeleteAlarmsDto, MessageMeta, PutMetricAlarmDto, SetAlarmStateDto, Streams, Subjects, type CommandReply } from '@daemonfleet/contracts';
import { AlarmNotFound, type ActiveMetricAlarm } from '@daemonfleet/domain';
import { CLOCK, type Clock } from '@daemonfleet/service-runtime';
import { ALARMS, type Alarms } from '../alarm.aggregates.js';

/** CloudWatch's alarm operations: PutMetricAlarm, DeleteAlarms, SetAlarmState. */
@Controller()
export class AlarmMessageController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ALARMS) private readonly alarms: Alarms,
  ) {}

  @MessagePattern(Subjects.alarms.putMetricAlarm)
  async putMetricAlarm(@Payload('data') dto: PutMetricAlarmDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<{ alarmArn: string }>> {
    const now = this.clock.now();
    const handled = await this.alarms.handle(
      Streams.alarm(meta.scope, dto.alarmName),
      { type: 'PutMetricAlarm', data: { scope: meta.scope, alarm: dto, now } },
      { correlationId: meta.correlationId, now },
    );
    return { result: { alarmArn: (handled.state as ActiveMetricAlarm).spec.alarmArn }, position: handled.position };
  }

  /**
   * As CloudWatch: when one of the alarms does not exist, none is deleted. One that another request deletes
   * meanwhile is gone all the same: it is left out of `deleted`, which names those this request deleted.
   */
  @MessagePattern(Subjects.alarms.deleteAlarms)
  async deleteAlarms(@Payload('data') dto: DeleteAlarmsDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<{ deleted: string[] }>> {
    const names = [...new Set(dto.alarmNames)];
    const loaded = await Promise.all(names.map((alarmName) => this.alarms.load(Streams.alarm(meta.scope, alarmName))));
    const missing = names.filter((_, index) => loaded[index].state.status !== 'ACTIVE');
    if (missing.length > 0) throw new AlarmNotFound(missing);
    const deleted: string[] = [];
    let position = Math.max(0, ...loaded.map((alarm) => alarm.position));
    for (const alarmName of names) {
      const now = this.clock.now();
      try {
        const handled = await this.alarms.handle(Streams.alarm(meta.scope, alarmName), { type: 'DeleteAlarm', data: { alarmName, now } }, { correlationId: meta.correlationId, now });
        deleted.push(alarmName);
        position = Math.max(position, handled.position);
      } catch (error) {
        if (!(error instanceof AlarmNotFound)) throw error;
      }
    }
    return { result: { deleted }, position };
  }

  @MessagePattern(Subjects.alarms.setAlarmState)
  async setAlarmState(@Payload('data') dto: SetAlarmStateDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<{ alarmArn: string }>> {
    const now = this.clock.now();
    const { alarmName, stateValue, stateReason } = dto;
    const handled = await this.alarms.handle(
      Streams.alarm(meta.scope, alarmName),
      { type: 'SetAlarmState', data: { alarmName, stateValue, stateReason, now } },
      { correlationId: meta.correlationId, now },
    );
    return { result: { alarmArn: (handled.state as ActiveMetricAlarm).spec.alarmArn }, position: handled.position };
  }
}
