import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { NAME_PATTERN, NAME_RULE, TagDto } from './common.dto.js';
import { DaemonContainerDefinitionDto } from './daemon-container-definition.dto.js';
import { HasUniqueKeys, NotTogetherWith, SomeItem } from './validators.js';

export class HostVolumeDto {
  @ApiProperty() @IsString() @Length(1, 4096) sourcePath: string;
}

export class LogDriverVolumeConfigurationDto {
  @ApiProperty({ enum: ['json-file'] }) @IsIn(['json-file']) driver: 'json-file';
}

/** Daemons take host bind mounts or a log-driver volume only, never both on one volume (spec 1.5). */
export class DaemonVolumeDto {
  @ApiProperty() @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` }) name: string;

  @ApiPropertyOptional({ type: HostVolumeDto })
  @IsOptional() @ValidateNested() @Type(() => HostVolumeDto)
  host?: HostVolumeDto;

  @ApiPropertyOptional({ type: LogDriverVolumeConfigurationDto })
  @IsOptional() @NotTogetherWith('host') @ValidateNested() @Type(() => LogDriverVolumeConfigurationDto)
  logDriverVolumeConfiguration?: LogDriverVolumeConfigurationDto;
}

export class RegisterDaemonTaskDefinitionDto {
  @ApiProperty({ pattern: NAME_PATTERN.source })
  @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` })
  family: string;

  @ApiProperty({ type: [DaemonContainerDefinitionDto], minItems: 1, maxItems: 10 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @HasUniqueKeys('name')
  @SomeItem((container) => container.essential !== false, 'must have at least one essential container')
  @ValidateNested({ each: true })
  @Type(() => DaemonContainerDefinitionDto)
  containerDefinitions: DaemonContainerDefinitionDto[];

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2048) taskRoleArn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2048) executionRoleArn?: string;

  @ApiPropertyOptional({ description: 'CPU units, as a string of digits, e.g. "256".' })
  @IsOptional() @Matches(/^[0-9]{1,6}$/, { message: '$property must be a whole number of CPU units, as a string' })
  cpu?: string;

  @ApiPropertyOptional({ description: 'MiB, as a string of digits, e.g. "512".' })
  @IsOptional() @Matches(/^[0-9]{1,7}$/, { message: '$property must be a whole number of MiB, as a string' })
  memory?: string;

  @ApiPropertyOptional({ type: [DaemonVolumeDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @HasUniqueKeys('name') @ValidateNested({ each: true }) @Type(() => DaemonVolumeDto)
  volumes?: DaemonVolumeDto[];

  @ApiPropertyOptional({ type: [TagDto], maxItems: 50 })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @HasUniqueKeys('key') @ValidateNested({ each: true }) @Type(() => TagDto)
  tags?: TagDto[];

  @ApiPropertyOptional({ enum: ['none', 'shared'] }) @IsOptional() @IsIn(['none', 'shared']) pidMode?: 'none' | 'shared';
  @ApiPropertyOptional({ enum: ['none', 'shared'] }) @IsOptional() @IsIn(['none', 'shared']) ipcMode?: 'none' | 'shared';
}

/** `family`, `family:revision` or a daemon task definition ARN. */
export class DaemonTaskDefinitionRefDto {
  @ApiProperty() @IsString() @Length(1, 2048) daemonTaskDefinition: string;
}

export class ListDaemonTaskDefinitionsDto {
  @ApiPropertyOptional() @IsOptional() @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` }) familyPrefix?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` }) family?: string;
  @ApiPropertyOptional({ enum: ['LAST_REGISTERED'] }) @IsOptional() @IsIn(['LAST_REGISTERED']) revision?: 'LAST_REGISTERED';
  @ApiPropertyOptional({ enum: ['ACTIVE', 'DELETE_IN_PROGRESS', 'ALL'] })
  @IsOptional() @IsIn(['ACTIVE', 'DELETE_IN_PROGRESS', 'ALL'])
  status?: 'ACTIVE' | 'DELETE_IN_PROGRESS' | 'ALL';
  @ApiPropertyOptional({ enum: ['ASC', 'DESC'] }) @IsOptional() @IsIn(['ASC', 'DESC']) sort?: 'ASC' | 'DESC';
  @ApiPropertyOptional({ minimum: 1, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) maxResults?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 4096) nextToken?: string;
}
