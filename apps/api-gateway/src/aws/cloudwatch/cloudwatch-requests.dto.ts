import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ALARM_STATES, ALARM_STATISTICS, COMPARISON_OPERATORS, HasUniqueKeys, TREAT_MISSING_DATA } from '@daemonfleet/contracts';

// Requests of CloudWatch's alarm operations as its JSON protocol has them: PascalCase members, with the bounds of the
// CloudWatch model (@aws-sdk/client-cloudwatch 3.1164.0) and of daemonfleet's alarms (the REST API's DTOs). A member
// of the model that is not here is refused by name (aws-input.ts); required members are checked first, by the
// operations (MissingRequiredParameterException). Numbers are JSON numbers, timestamps epoch seconds.

/** Epoch seconds, up to the end of the year 9999. */
const LAST_EPOCH_SECOND = 253_402_300_799;
/** CloudWatch refuses data points whose magnitude is past 2^360. */
const LARGEST_VALUE = 2 ** 360;

export const ALARM_TYPES = ['CompositeAlarm', 'MetricAlarm', 'LogAlarm'] as const;
export const HISTORY_ITEM_TYPES = ['ConfigurationUpdate', 'StateUpdate', 'Action', 'AlarmContributorStateUpdate', 'AlarmContributorAction'] as const;
export const SCAN_BY = ['TimestampDescending', 'TimestampAscending'] as const;
export const STANDARD_UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits',
  'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
] as const;

/** An alarm name: 1 to 255 characters (the alarm monitor refuses control characters). */
function AlarmName(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    Length(1, 255)(target, key);
  };
}

/** A page of at most 100 records. */
function MaxRecords(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsInt()(target, key);
    Min(1)(target, key);
    Max(100)(target, key);
  };
}

/** An alarm's actions: daemonfleet runs none, so only an empty list is taken (DescribeAlarms answers empty ones). */
function NoActions(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsArray()(target, key);
    IsString({ each: true })(target, key);
    ArrayMaxSize(0, { message: '$property: daemonfleet runs no alarm actions (deployments read the alarms’ states themselves); give none' })(target, key);
  };
}

function EpochSeconds(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsNumber({ allowNaN: false, allowInfinity: false })(target, key);
    Min(0)(target, key);
    Max(LAST_EPOCH_SECOND)(target, key);
  };
}

export class DimensionDto {
  @IsString() @Length(1, 255) Name: string;
  @IsString() @Length(1, 1024) Value: string;
}

function Dimensions(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(30)(target, key);
    HasUniqueKeys('Name')(target, key);
    ValidateNested({ each: true })(target, key);
    Type(() => DimensionDto)(target, key);
  };
}

export class AlarmTagDto {
  @IsString() @Length(1, 128) @Matches(/^(?![aA][wW][sS]:)/, { message: '$property must not start with the reserved prefix aws:' }) Key: string;
  @IsString() @Length(0, 256) Value: string;
}

export class PutMetricAlarmRequest {
  @AlarmName() AlarmName: string;
  @IsOptional() @IsString() @Length(0, 1024) AlarmDescription?: string;
  @IsOptional() @IsBoolean() ActionsEnabled?: boolean;
  @NoActions() OKActions?: string[];
  @NoActions() AlarmActions?: string[];
  @NoActions() InsufficientDataActions?: string[];
  @IsString() @Length(1, 255) MetricName: string;
  @IsString() @Length(1, 255) Namespace: string;
  @IsIn(ALARM_STATISTICS) Statistic: (typeof ALARM_STATISTICS)[number];
  @Dimensions() Dimensions?: DimensionDto[];
  /** Seconds of simulated time (spec: TIME_SCALE); 10, 30 or a multiple of 60, as the alarm monitor checks. */
  @IsInt() @Min(10) @Max(86_400) Period: number;
  @IsInt() @Min(1) @Max(1_440) EvaluationPeriods: number;
  @IsOptional() @IsInt() @Min(1) @Max(1_440) DatapointsToAlarm?: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) Threshold: number;
  @IsIn(COMPARISON_OPERATORS) ComparisonOperator: (typeof COMPARISON_OPERATORS)[number];
  @IsOptional() @IsIn(TREAT_MISSING_DATA) TreatMissingData?: (typeof TREAT_MISSING_DATA)[number];

  @IsOptional() @IsArray() @ArrayMaxSize(50) @HasUniqueKeys('Key') @ValidateNested({ each: true }) @Type(() => AlarmTagDto)
  Tags?: AlarmTagDto[];
}

export class DescribeAlarmsRequest {
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 255, { each: true }) AlarmNames?: string[];
  @IsOptional() @IsString() @Length(1, 255) AlarmNamePrefix?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(ALARM_TYPES.length) @IsIn(ALARM_TYPES, { each: true }) AlarmTypes?: (typeof ALARM_TYPES)[number][];
  @IsOptional() @IsString() @Length(1, 255) ChildrenOfAlarmName?: string;
  @IsOptional() @IsString() @Length(1, 255) ParentsOfAlarmName?: string;
  @IsOptional() @IsIn(ALARM_STATES) StateValue?: (typeof ALARM_STATES)[number];
  @IsOptional() @IsString() @Length(1, 1024) ActionPrefix?: string;
  @MaxRecords() MaxRecords?: number;
  @IsOptional() @IsString() @Length(1, 4096) NextToken?: string;
}

export class SetAlarmStateRequest {
  @AlarmName() AlarmName: string;
  @IsIn(ALARM_STATES) StateValue: (typeof ALARM_STATES)[number];
  @IsString() @Length(0, 1023) StateReason: string;
  /** Checked to be JSON (InvalidFormatFault), then refused: the alarm monitor keeps no data with a state set by hand. */
  @IsOptional() @IsString() @Length(0, 4000) StateReasonData?: string;
}

export class DeleteAlarmsRequest {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 255, { each: true }) AlarmNames: string[];
}

export class MetricDatumDto {
  @IsString() @Length(1, 255) MetricName: string;
  @Dimensions() Dimensions?: DimensionDto[];
  @EpochSeconds() Timestamp?: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-LARGEST_VALUE) @Max(LARGEST_VALUE) Value: number;
  @IsOptional() @IsIn(STANDARD_UNITS) Unit?: (typeof STANDARD_UNITS)[number];
}

export class PutMetricDataRequest {
  /** CloudWatch reserves the namespaces that start with `AWS/` for AWS's own metrics (the fleet's among them). */
  @IsString() @Length(1, 255) @Matches(/^(?!AWS\/)/, { message: '$property: namespaces that start with AWS/ are reserved for AWS’s own metrics' }) Namespace: string;

  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => MetricDatumDto)
  MetricData: MetricDatumDto[];
}

export class DescribeAlarmHistoryRequest {
  @IsOptional() @AlarmName() AlarmName?: string;
  @IsOptional() @IsString() @Length(1, 1024) AlarmContributorId?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(ALARM_TYPES.length) @IsIn(ALARM_TYPES, { each: true }) AlarmTypes?: (typeof ALARM_TYPES)[number][];
  @IsOptional() @IsIn(HISTORY_ITEM_TYPES) HistoryItemType?: (typeof HISTORY_ITEM_TYPES)[number];
  @EpochSeconds() StartDate?: number;
  @EpochSeconds() EndDate?: number;
  @MaxRecords() MaxRecords?: number;
  @IsOptional() @IsString() @Length(1, 4096) NextToken?: string;
  @IsOptional() @IsIn(SCAN_BY) ScanBy?: (typeof SCAN_BY)[number];
}
