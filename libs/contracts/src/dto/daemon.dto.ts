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
import { NAME_PATTERN, NAME_RULE, TagDto } from './common.dto.js';
import { HasUniqueKeys } from './validators.js';

export class DaemonAlarmConfigurationDto {
  @ApiPropertyOptional({ type: [String], maxItems: 10 })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @Length(1, 255, { each: true })
  alarmNames?: string[];

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() enable?: boolean;
}

export class DaemonDeploymentConfigurationDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 25 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(100)
  drainPercent?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1440, default: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(1440)
  bakeTimeInMinutes?: number;

  @ApiPropertyOptional({ type: DaemonAlarmConfigurationDto })
  @IsOptional() @ValidateNested() @Type(() => DaemonAlarmConfigurationDto)
  alarms?: DaemonAlarmConfigurationDto;
}

/** The settings CreateDaemon and UpdateDaemon share; UpdateDaemon replaces them all (omitted ones return to defaults). */
export class DaemonSettingsDto {
  @ApiProperty({ description: 'Revision-qualified daemon task definition ARN, or family:revision.' })
  @IsString() @Length(1, 2048)
  daemonTaskDefinitionArn: string;

  @ApiProperty({ type: [String], minItems: 1, maxItems: 20, description: 'Capacity provider names or ARNs.' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 2048, { each: true })
  capacityProviderArns: string[];

  @ApiPropertyOptional({ type: DaemonDeploymentConfigurationDto })
  @IsOptional() @ValidateNested() @Type(() => DaemonDeploymentConfigurationDto)
  deploymentConfiguration?: DaemonDeploymentConfigurationDto;

  @ApiPropertyOptional({ enum: ['DAEMON', 'NONE'] }) @IsOptional() @IsIn(['DAEMON', 'NONE']) propagateTags?: 'DAEMON' | 'NONE';
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() enableECSManagedTags?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() enableExecuteCommand?: boolean;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() critical?: boolean;
}

export class CreateDaemonDto extends DaemonSettingsDto {
  @ApiProperty({ pattern: NAME_PATTERN.source })
  @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` })
  daemonName: string;

  @ApiPropertyOptional({ description: 'Cluster name or ARN; defaults to the cluster named "default".' })
  @IsOptional() @IsString() @Length(1, 2048)
  clusterArn?: string;

  @ApiPropertyOptional({ type: [TagDto], maxItems: 50 })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @HasUniqueKeys('key') @ValidateNested({ each: true }) @Type(() => TagDto)
  tags?: TagDto[];

  @ApiPropertyOptional({ maxLength: 36, description: 'Idempotency token: up to 36 printable ASCII characters.' })
  @IsOptional() @Matches(/^[\x21-\x7e]{1,36}$/, { message: '$property must be 1 to 36 printable ASCII characters' })
  clientToken?: string;
}

/** UpdateDaemon: every setting is replaced; omitted ones return to their defaults (spec 2.6). */
export class UpdateDaemonDto extends DaemonSettingsDto {
  @ApiProperty() @IsString() @Length(1, 2048) daemonArn: string;
}

export class DaemonRefDto {
  @ApiProperty() @IsString() @Length(1, 2048) daemonArn: string;
}

export class ListDaemonsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2048) clusterArn?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 2048, { each: true })
  capacityProviderArns?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) maxResults?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 4096) nextToken?: string;
}

export const DAEMON_DEPLOYMENT_STATUSES = [
  'PENDING',
  'IN_PROGRESS',
  'SUCCESSFUL',
  'STOPPED',
  'STOP_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
] as const;
export type DaemonDeploymentStatus = (typeof DAEMON_DEPLOYMENT_STATUSES)[number];

export class ListDaemonDeploymentsDto {
  @ApiPropertyOptional({ enum: DAEMON_DEPLOYMENT_STATUSES, isArray: true })
  @IsOptional() @IsArray() @ArrayMaxSize(8) @IsIn(DAEMON_DEPLOYMENT_STATUSES, { each: true })
  status?: DaemonDeploymentStatus[];

  @ApiPropertyOptional({ description: 'Epoch seconds: deployments created after this time.' })
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0)
  createdAfter?: number;

  @ApiPropertyOptional({ description: 'Epoch seconds: deployments created before this time.' })
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0)
  createdBefore?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) maxResults?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 4096) nextToken?: string;
}
