import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ALARM_STATES, PutMetricAlarmDto, SetAlarmStateDto } from '@daemonfleet/contracts';

/** PUT /v1/alarms/{alarmName}: PutMetricAlarm, the name in the path. */
export class PutMetricAlarmBody extends OmitType(PutMetricAlarmDto, ['alarmName'] as const) {}

/** PUT /v1/alarms/{alarmName}/state: SetAlarmState, the name in the path. */
export class SetAlarmStateBody extends OmitType(SetAlarmStateDto, ['alarmName'] as const) {}

/** A query string gives one value as a string and several as an array; list members always take the array. */
const asList = ({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value);

/** CloudWatch's paging: MaxRecords (1–100) and NextToken. */
class RecordsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) maxRecords?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 4096) nextToken?: string;
}

export class DescribeAlarmsQuery extends RecordsQuery {
  @ApiPropertyOptional({ type: [String], description: 'Repeat the parameter for several alarms. Not with alarmNamePrefix.' })
  @IsOptional() @Transform(asList) @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 255, { each: true })
  alarmNames?: string[];

  @ApiPropertyOptional({ description: 'Not with alarmNames.' }) @IsOptional() @IsString() @Length(1, 255) alarmNamePrefix?: string;

  @ApiPropertyOptional({ enum: ALARM_STATES }) @IsOptional() @IsIn(ALARM_STATES) stateValue?: (typeof ALARM_STATES)[number];
}

export const HISTORY_ITEM_TYPES = ['ConfigurationUpdate', 'StateUpdate', 'Action'] as const;
export const SCAN_BY = ['TimestampDescending', 'TimestampAscending'] as const;

export class DescribeAlarmHistoryQuery extends RecordsQuery {
  @ApiPropertyOptional({ enum: HISTORY_ITEM_TYPES, description: 'Actions are not run, so there is no Action item.' })
  @IsOptional() @IsIn(HISTORY_ITEM_TYPES) historyItemType?: (typeof HISTORY_ITEM_TYPES)[number];

  @ApiPropertyOptional({ description: 'Epoch seconds, inclusive.' }) @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) startDate?: number;
  @ApiPropertyOptional({ description: 'Epoch seconds, inclusive.' }) @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) endDate?: number;
  @ApiPropertyOptional({ enum: SCAN_BY, default: 'TimestampDescending' }) @IsOptional() @IsIn(SCAN_BY) scanBy?: (typeof SCAN_BY)[number];
}
