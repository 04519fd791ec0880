import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
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
import { KeyValuePairDto } from './daemon-container-definition.dto.js';
import { HasUniqueKeys, SomeItem } from './validators.js';

/** The most application tasks one service may want in the simulated fleet. */
export const MAX_SERVICE_DESIRED_COUNT = 100_000;

export class CapacityProviderStrategyItemDto {
  @ApiProperty({ description: 'Capacity provider name or ARN.' }) @IsString() @Length(1, 2048) capacityProvider: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 1000, default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(1000) weight?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 100000, default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(100_000) base?: number;
}

/** ECS CreateService, for what the simulation uses: tasks of one definition on Managed Instances providers. */
export class CreateServiceDto {
  @ApiProperty({ pattern: NAME_PATTERN.source })
  @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` })
  serviceName: string;

  @ApiPropertyOptional({ description: 'Cluster name or ARN; defaults to "default".' })
  @IsOptional() @IsString() @Length(1, 2048)
  cluster?: string;

  @ApiProperty({ description: 'family, family:revision or task definition ARN.' })
  @IsString() @Length(1, 2048)
  taskDefinition: string;

  @ApiProperty({ minimum: 0, maximum: MAX_SERVICE_DESIRED_COUNT })
  @IsInt() @Min(0) @Max(MAX_SERVICE_DESIRED_COUNT)
  desiredCount: number;

  @ApiProperty({ type: [CapacityProviderStrategyItemDto], minItems: 1, maxItems: 20 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @HasUniqueKeys('capacityProvider')
  @SomeItem((item) => (item.weight ?? 0) !== 0 || (item.base ?? 0) !== 0, 'must give at least one capacity provider a weight or a base above 0')
  @ValidateNested({ each: true }) @Type(() => CapacityProviderStrategyItemDto)
  capacityProviderStrategy: CapacityProviderStrategyItemDto[];

  @ApiPropertyOptional({ type: [TagDto], maxItems: 50 })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @HasUniqueKeys('key') @ValidateNested({ each: true }) @Type(() => TagDto)
  tags?: TagDto[];
}

/** ECS UpdateService, for the one setting the simulation changes: the desired count. */
export class UpdateServiceDto {
  @ApiProperty({ minimum: 0, maximum: MAX_SERVICE_DESIRED_COUNT })
  @IsInt() @Min(0) @Max(MAX_SERVICE_DESIRED_COUNT)
  desiredCount: number;
}

/** A service, by cluster (name or ARN) and service name or ARN. */
export class ServiceRefDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2048) cluster?: string;
  @ApiProperty() @IsString() @Length(1, 2048) service: string;
}

export class UpdateServiceCommandDto extends ServiceRefDto {
  @ApiProperty({ minimum: 0, maximum: MAX_SERVICE_DESIRED_COUNT })
  @IsInt() @Min(0) @Max(MAX_SERVICE_DESIRED_COUNT)
  desiredCount: number;
}

export class PortMappingDto {
  @ApiProperty() @IsInt() @Min(0) @Max(65535) containerPort: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(65535) hostPort?: number;
  @ApiPropertyOptional({ enum: ['tcp', 'udp'] }) @IsOptional() @IsIn(['tcp', 'udp']) protocol?: 'tcp' | 'udp';
}

export class ContainerDefinitionDto {
  @ApiProperty() @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` }) name: string;
  @ApiProperty() @IsString() @Length(1, 4096) image: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) cpu?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(6) memory?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(6) memoryReservation?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() essential?: boolean;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) command?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) entryPoint?: string[];
  @ApiPropertyOptional({ type: [KeyValuePairDto] })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => KeyValuePairDto)
  environment?: KeyValuePairDto[];
  @ApiPropertyOptional({ type: [PortMappingDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => PortMappingDto)
  portMappings?: PortMappingDto[];
}

/** ECS RegisterTaskDefinition, for application tasks (the ones services run). */
export class RegisterTaskDefinitionDto {
  @ApiProperty() @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` }) family: string;

  @ApiProperty({ type: [ContainerDefinitionDto], minItems: 1, maxItems: 10 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @HasUniqueKeys('name')
  @SomeItem((container) => container.essential !== false, 'must have at least one essential container')
  @ValidateNested({ each: true }) @Type(() => ContainerDefinitionDto)
  containerDefinitions: ContainerDefinitionDto[];

  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9]{1,6}$/, { message: '$property must be a whole number of CPU units, as a string' }) cpu?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9]{1,7}$/, { message: '$property must be a whole number of MiB, as a string' }) memory?: string;
  @ApiPropertyOptional({ enum: ['awsvpc', 'bridge', 'host', 'none'] }) @IsOptional() @IsIn(['awsvpc', 'bridge', 'host', 'none']) networkMode?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @IsIn(['MANAGED_INSTANCES', 'EC2', 'FARGATE', 'EXTERNAL'], { each: true })
  requiresCompatibilities?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2048) taskRoleArn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2048) executionRoleArn?: string;
  @ApiPropertyOptional({ type: [TagDto], maxItems: 50 })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @HasUniqueKeys('key') @ValidateNested({ each: true }) @Type(() => TagDto)
  tags?: TagDto[];
}

/** Emulator control: add instances to a provider directly (`POST /v1/capacity-providers/{name}/instances`). */
export class AddInstancesDto {
  @ApiProperty({ minimum: 1, maximum: 1000 }) @IsInt() @Min(1) @Max(1000) count: number;
}

export class AddInstancesCommandDto extends AddInstancesDto {
  @ApiProperty() @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` }) capacityProvider: string;
}
