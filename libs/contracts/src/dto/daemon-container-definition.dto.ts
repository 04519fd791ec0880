import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { NAME_PATTERN, NAME_RULE } from './common.dto.js';

export class KeyValuePairDto {
  @ApiProperty() @IsString() @Length(1, 255) name: string;
  @ApiProperty() @IsString() @Length(0, 32768) value: string;
}

export class SecretDto {
  @ApiProperty() @IsString() @Length(1, 255) name: string;
  @ApiProperty() @IsString() @Length(1, 2048) valueFrom: string;
}

export class EnvironmentFileDto {
  @ApiProperty() @IsString() @Length(1, 2048) value: string;
  @ApiProperty({ enum: ['s3'] }) @IsIn(['s3']) type: 's3';
}

export class HealthCheckDto {
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(64) @IsString({ each: true }) command: string[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(5) @Max(300) interval?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(2) @Max(60) timeout?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(10) retries?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(300) startPeriod?: number;
}

export class MountPointDto {
  @ApiProperty() @IsString() @Length(1, 255) sourceVolume: string;
  @ApiProperty() @IsString() @Length(1, 4096) containerPath: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() readOnly?: boolean;
}

export class LogConfigurationDto {
  @ApiProperty() @IsString() @Length(1, 255) logDriver: string;
  @ApiPropertyOptional() @IsOptional() @IsObject() options?: Record<string, string>;
  @ApiPropertyOptional({ type: [SecretDto] })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => SecretDto)
  secretOptions?: SecretDto[];
}

export class UlimitDto {
  @ApiProperty() @IsString() @Length(1, 64) name: string;
  @ApiProperty() @IsInt() softLimit: number;
  @ApiProperty() @IsInt() hardLimit: number;
}

export class ContainerDependencyDto {
  @ApiProperty() @IsString() @Length(1, 255) containerName: string;
  @ApiProperty({ enum: ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'] })
  @IsIn(['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'])
  condition: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY';
}

export class RestartPolicyDto {
  @ApiProperty() @IsBoolean() enabled: boolean;
  @ApiPropertyOptional({ type: [Number] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsInt({ each: true }) ignoredExitCodes?: number[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(60) @Max(1800) restartAttemptPeriod?: number;
}

export class RepositoryCredentialsDto {
  @ApiProperty() @IsString() @Length(1, 2048) credentialsParameter: string;
}

export class SystemControlDto {
  @ApiProperty() @IsString() @Length(1, 255) namespace: string;
  @ApiProperty() @IsString() @Length(0, 255) value: string;
}

/** A container of a daemon task definition (spec 2.1). There is no portMappings, links or networkMode. */
export class DaemonContainerDefinitionDto {
  @ApiProperty({ pattern: NAME_PATTERN.source })
  @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` })
  name: string;

  @ApiProperty({ maxLength: 4096 }) @IsString() @Length(1, 4096) image: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10240 * 10) cpu?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(6) memory?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(6) memoryReservation?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() essential?: boolean;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) entryPoint?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) command?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 4096) workingDirectory?: string;

  @ApiPropertyOptional({ type: [KeyValuePairDto] })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => KeyValuePairDto)
  environment?: KeyValuePairDto[];

  @ApiPropertyOptional({ type: [EnvironmentFileDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => EnvironmentFileDto)
  environmentFiles?: EnvironmentFileDto[];

  @ApiPropertyOptional({ type: [SecretDto] })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => SecretDto)
  secrets?: SecretDto[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() readonlyRootFilesystem?: boolean;

  @ApiPropertyOptional({ type: [MountPointDto] })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => MountPointDto)
  mountPoints?: MountPointDto[];

  @ApiPropertyOptional({ type: LogConfigurationDto })
  @IsOptional() @ValidateNested() @Type(() => LogConfigurationDto)
  logConfiguration?: LogConfigurationDto;

  @ApiPropertyOptional({ description: 'FireLens settings (type fluentd or fluentbit, options), kept as given.' })
  @IsOptional() @IsObject()
  firelensConfiguration?: Record<string, unknown>;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() privileged?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 255) user?: string;

  @ApiPropertyOptional({ type: [UlimitDto] })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => UlimitDto)
  ulimits?: UlimitDto[];

  @ApiPropertyOptional({ description: 'Linux capabilities, devices, init process, tmpfs; kept as given.' })
  @IsOptional() @IsObject()
  linuxParameters?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [ContainerDependencyDto] })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => ContainerDependencyDto)
  dependsOn?: ContainerDependencyDto[];

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(3600) startTimeout?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(3600) stopTimeout?: number;

  @ApiPropertyOptional({ type: [SystemControlDto] })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => SystemControlDto)
  systemControls?: SystemControlDto[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() interactive?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() pseudoTerminal?: boolean;

  @ApiPropertyOptional({ type: HealthCheckDto })
  @IsOptional() @ValidateNested() @Type(() => HealthCheckDto)
  healthCheck?: HealthCheckDto;

  @ApiPropertyOptional({ type: RestartPolicyDto })
  @IsOptional() @ValidateNested() @Type(() => RestartPolicyDto)
  restartPolicy?: RestartPolicyDto;

  @ApiPropertyOptional({ type: RepositoryCredentialsDto })
  @IsOptional() @ValidateNested() @Type(() => RepositoryCredentialsDto)
  repositoryCredentials?: RepositoryCredentialsDto;
}
