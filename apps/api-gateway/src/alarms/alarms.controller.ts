import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DeleteAlarmsDto, ErrorCode, Subjects, type Scope } from '@daemonfleet/contracts';
import { SERVICE_CONFIG, RequestValidationError, type ServiceConfig } from '@daemonfleet/service-runtime';
import { notFoundInPath, PathResourceNotFound } from '../http/ecs-errors.js';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { NextTokens, timeSortKey } from '../pagination/next-token.js';
import { GatewayCommands } from '../rest/gateway-commands.js';
import { AlarmNamePipe } from './alarm-name.pipe.js';
import { presentAlarmHistoryItem, presentMetricAlarm } from './alarm.presenter.js';
import { AlarmQueries } from './alarm.queries.js';
import { DescribeAlarmHistoryQuery, DescribeAlarmsQuery, PutMetricAlarmBody, SetAlarmStateBody } from './alarm-requests.dto.js';

/**
 * CloudWatch's metric alarms (the alarm monitor's), which deployments watch: PutMetricAlarm, DescribeAlarms,
 * DescribeAlarmHistory, SetAlarmState and DeleteAlarms. Names are percent-encoded in paths; a name in the path that no
 * alarm has answers 404 ResourceNotFound.
 */
@ApiTags('alarms')
@Controller('v1/alarms')
export class AlarmsController {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly commands: GatewayCommands,
    private readonly alarms: AlarmQueries,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  @Put(':alarmName')
  @ApiOperation({ summary: 'PutMetricAlarm: creates the alarm (INSUFFICIENT_DATA) or replaces its configuration, keeping its state' })
  async put(@Param('alarmName', AlarmNamePipe) alarmName: string, @Body() body: PutMetricAlarmBody, @HttpRequest() request: Request) {
    const meta = requestMeta(request, this.config);
    await this.commands.send(Subjects.alarms.putMetricAlarm, { ...body, alarmName }, meta);
    return { metricAlarm: presentMetricAlarm(await this.existing(meta.scope, alarmName)) };
  }

  @Get()
  @ApiOperation({ summary: 'DescribeAlarms: by names or name prefix and state, in name order (50 a page unless maxRecords)' })
  async describeAll(@Query() query: DescribeAlarmsQuery, @HttpRequest() request: Request) {
    const { alarmNames, alarmNamePrefix, stateValue, maxRecords, nextToken } = query;
    if (alarmNames && alarmNamePrefix !== undefined) throw new RequestValidationError('alarmNamePrefix', 'alarmNames and alarmNamePrefix cannot be given together');
    const matching = (await this.alarms.alarms(requestMeta(request, this.config).scope)).filter(
      ({ spec, stateValue: state }) =>
        (!alarmNames || alarmNames.includes(spec.alarmName)) &&
        (alarmNamePrefix === undefined || spec.alarmName.startsWith(alarmNamePrefix)) &&
        (stateValue === undefined || state === stateValue),
    );
    const page = this.nextTokens.page('DescribeAlarms', { alarmNames, alarmNamePrefix, stateValue }, matching, (alarm) => alarm.spec.alarmName, {
      maxResults: maxRecords ?? 50,
      nextToken,
    });
    return { metricAlarms: page.items.map(presentMetricAlarm), nextToken: page.nextToken };
  }

  @Post('delete')
  @HttpCode(200)
  @ApiOperation({ summary: 'DeleteAlarms: when one of them does not exist (400 ResourceNotFound), none is deleted' })
  async deleteMany(@Body() dto: DeleteAlarmsDto, @HttpRequest() request: Request) {
    await this.commands.send(Subjects.alarms.deleteAlarms, dto, requestMeta(request, this.config));
    return {};
  }

  @Get(':alarmName')
  @ApiOperation({ summary: 'DescribeAlarms, for one alarm' })
  async describe(@Param('alarmName', AlarmNamePipe) alarmName: string, @HttpRequest() request: Request) {
    return { metricAlarm: presentMetricAlarm(await this.existing(requestMeta(request, this.config).scope, alarmName)) };
  }

  @Get(':alarmName/history')
  @ApiOperation({ summary: 'DescribeAlarmHistory: configuration and state updates, newest first unless scanBy; kept after a deletion' })
  async history(@Param('alarmName', AlarmNamePipe) alarmName: string, @Query() query: DescribeAlarmHistoryQuery, @HttpRequest() request: Request) {
    const items = await this.alarms.history(requestMeta(request, this.config).scope, alarmName);
    if (!items) throw notFound(alarmName);
    const { historyItemType, startDate, endDate, scanBy, maxRecords, nextToken } = query;
    const matching = items.filter(
      (item) =>
        (historyItemType === undefined || item.historyItemType === historyItemType) &&
        (startDate === undefined || item.timestamp >= startDate * 1000) &&
        (endDate === undefined || item.timestamp <= endDate * 1000),
    );
    const descending = scanBy !== 'TimestampAscending';
    const page = this.nextTokens.page(
      `DescribeAlarmHistory ${alarmName}`,
      { historyItemType, startDate, endDate, scanBy },
      matching,
      ({ timestamp, position }) => timeSortKey(timestamp, String(descending ? Number.MAX_SAFE_INTEGER - position : position).padStart(16, '0'), { descending }),
      { maxResults: maxRecords ?? 100, nextToken },
    );
    return { alarmHistoryItems: page.items.map(presentAlarmHistoryItem), nextToken: page.nextToken };
  }

  @Put(':alarmName/state')
  @ApiOperation({ summary: 'SetAlarmState: the state until the alarm’s next evaluation decides otherwise (at its next period end at the latest)' })
  async setState(@Param('alarmName', AlarmNamePipe) alarmName: string, @Body() body: SetAlarmStateBody, @HttpRequest() request: Request) {
    const meta = requestMeta(request, this.config);
    await this.commands.send(Subjects.alarms.setAlarmState, { ...body, alarmName }, meta).catch(notFoundInPath(ErrorCode.AlarmNotFound));
    return { metricAlarm: presentMetricAlarm(await this.existing(meta.scope, alarmName)) };
  }

  @Delete(':alarmName')
  @ApiOperation({ summary: 'DeleteAlarms, for one alarm' })
  async delete(@Param('alarmName', AlarmNamePipe) alarmName: string, @HttpRequest() request: Request) {
    await this.commands.send(Subjects.alarms.deleteAlarms, { alarmNames: [alarmName] }, requestMeta(request, this.config)).catch(notFoundInPath(ErrorCode.AlarmNotFound));
    return {};
  }

  /** An alarm the alarm monitor just answered for, or the one a path names: 404 when there is none (any more). */
  private async existing(scope: Scope, alarmName: string) {
    const alarm = await this.alarms.alarm(scope, alarmName);
    if (!alarm) throw notFound(alarmName);
    return alarm;
  }
}

function notFound(alarmName: string): PathResourceNotFound {
  return new PathResourceNotFound('ResourceNotFound', `Alarm ${alarmName} not found`);
}
