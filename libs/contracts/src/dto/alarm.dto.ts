import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { TagDto } from './common.dto.js';
import { HasUniqueKeys } from './validators.js';

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export const ALARM_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export const COMPARISON_OPERATORS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] as const;
export const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;

export class MetricDimensionDto {
  @ApiProperty() @IsString() @Length(1, 255) name: string;
  @ApiProperty() @IsString() @Length(1, 1024) value: string;
}

/** CloudWatch PutMetricAlarm, for metric alarms on one metric (camelCase on the REST API). */
export class PutMetricAlarmDto {
  @ApiProperty() @IsString() @Length(1, 255) alarmName: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 1024) alarmDescription?: string;
  @ApiProperty({ example: 'AWS/ECS' }) @IsString() @Length(1, 255) namespace: string;
  @ApiProperty({ example: 'CPUUtilization' }) @IsString() @Length(1, 255) metricName: string;

  @ApiPropertyOptional({ type: [MetricDimensionDto], maxItems: 30 })
  @IsOptional() @IsArray() @ArrayMaxSize(30) @HasUniqueKeys('name') @ValidateNested({ each: true }) @Type(() => MetricDimensionDto)
  dimensions?: MetricDimensionDto[];

  @ApiProperty({ enum: ALARM_STATISTICS }) @IsIn(ALARM_STATISTICS) statistic: (typeof ALARM_STATISTICS)[number];
  @ApiProperty({ description: 'Seconds of simulated time per period (at least 10).' }) @IsInt() @Min(10) @Max(86_400) period: number;
  @ApiProperty() @IsInt() @Min(1) @Max(1_440) evaluationPeriods: number;
  @ApiPropertyOptional({ description: 'Defaults to evaluationPeriods.' }) @IsOptional() @IsInt() @Min(1) @Max(1_440) datapointsToAlarm?: number;
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) threshold: number;
  @ApiProperty({ enum: COMPARISON_OPERATORS }) @IsIn(COMPARISON_OPERATORS) comparisonOperator: (typeof COMPARISON_OPERATORS)[number];
  @ApiPropertyOptional({ enum: TREAT_MISSING_DATA, default: 'missing' }) @IsOptional() @IsIn(TREAT_MISSING_DATA) treatMissingData?: (typeof TREAT_MISSING_DATA)[number];
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() actionsEnabled?: boolean;

  @ApiPropertyOptional({ type: [TagDto], maxItems: 50 })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @HasUniqueKeys('key') @ValidateNested({ each: true }) @Type(() => TagDto)
  tags?: TagDto[];
}

/** CloudWatch SetAlarmState: a manual override, until the next evaluation. */
export class SetAlarmStateDto {
  @ApiProperty() @IsString() @Length(1, 255) alarmName: string;
  @ApiProperty({ enum: ALARM_STATES }) @IsIn(ALARM_STATES) stateValue: (typeof ALARM_STATES)[number];
  @ApiProperty() @IsString() @Length(0, 1023) stateReason: string;
}

export class DeleteAlarmsDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 100 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 255, { each: true })
  alarmNames: string[];
}

export class MetricDatumDto {
  @ApiProperty() @IsString() @Length(1, 255) metricName: string;

  @ApiPropertyOptional({ type: [MetricDimensionDto], maxItems: 30 })
  @IsOptional() @IsArray() @ArrayMaxSize(30) @HasUniqueKeys('name') @ValidateNested({ each: true }) @Type(() => MetricDimensionDto)
  dimensions?: MetricDimensionDto[];

  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) value: number;
  @ApiPropertyOptional({ description: 'Epoch seconds; defaults to now.' }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) timestamp?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) unit?: string;
}

/** CloudWatch PutMetricData. */
export class PutMetricDataDto {
  @ApiProperty() @IsString() @Length(1, 255) namespace: string;

  @ApiProperty({ type: [MetricDatumDto], minItems: 1, maxItems: 1000 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => MetricDatumDto)
  metricData: MetricDatumDto[];

  @ApiPropertyOptional({ description: 'Not CloudWatch’s: a repeated call with the same token is stored once (replicas publishing one period).' })
  @IsOptional() @IsString() @Matches(/^[\x21-\x7e]{1,128}$/, { message: '$property must be 1 to 128 printable ASCII characters without spaces' })
  clientToken?: string;
}
