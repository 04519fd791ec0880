import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { NAME_PATTERN, NAME_RULE, TagDto } from './common.dto.js';
import { HasUniqueKeys, NotTogetherWith } from './validators.js';

export class NetworkConfigurationDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(16)
  @IsString({ each: true })
  subnets: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  securityGroups?: string[];
}

export class StorageConfigurationDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(16384)
  storageSizeGiB?: number;
}

export class InstanceLaunchTemplateDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2048)
  ec2InstanceProfileArn: string;

  @ApiPropertyOptional({ type: NetworkConfigurationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => NetworkConfigurationDto)
  networkConfiguration?: NetworkConfigurationDto;

  @ApiPropertyOptional({ type: StorageConfigurationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StorageConfigurationDto)
  storageConfiguration?: StorageConfigurationDto;

  @ApiPropertyOptional({ enum: ['BASIC', 'DETAILED'] })
  @IsOptional()
  @IsIn(['BASIC', 'DETAILED'])
  monitoring?: 'BASIC' | 'DETAILED';

  @ApiPropertyOptional({ description: 'Instance attribute requirements, kept as given.' })
  @IsOptional()
  @IsObject()
  instanceRequirements?: Record<string, unknown>;
}

export class ManagedInstancesProviderDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2048)
  infrastructureRoleArn: string;

  @ApiProperty({ type: InstanceLaunchTemplateDto })
  @ValidateNested()
  @Type(() => InstanceLaunchTemplateDto)
  instanceLaunchTemplate: InstanceLaunchTemplateDto;

  @ApiPropertyOptional({ enum: ['CAPACITY_PROVIDER', 'NONE'] })
  @IsOptional()
  @IsIn(['CAPACITY_PROVIDER', 'NONE'])
  propagateTags?: 'CAPACITY_PROVIDER' | 'NONE';
}

export class AutoScalingGroupProviderDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2048)
  autoScalingGroupArn: string;
}

/** ECS CreateCapacityProvider, for the two provider kinds the emulator knows. */
export class CreateCapacityProviderDto {
  @ApiProperty({ pattern: NAME_PATTERN.source, description: 'May not start with aws, ecs or fargate.' })
  @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` })
  @Matches(/^(?!(aws|ecs|fargate))/i, { message: '$property must not start with aws, ecs or fargate' })
  name: string;

  @ApiPropertyOptional({ description: 'Cluster name or ARN; required with managedInstancesProvider.' })
  @ValidateIf((dto: CreateCapacityProviderDto) => dto.managedInstancesProvider !== undefined || dto.cluster !== undefined)
  @IsString({ message: '$property is required for a managedInstancesProvider and must be a cluster name or ARN' })
  @Length(1, 2048)
  cluster?: string;

  @ApiPropertyOptional({ type: ManagedInstancesProviderDto })
  @ValidateIf((dto: CreateCapacityProviderDto) => dto.autoScalingGroupProvider === undefined || dto.managedInstancesProvider !== undefined)
  @IsObject({ message: '$property or autoScalingGroupProvider is required (exactly one)' })
  @ValidateNested()
  @Type(() => ManagedInstancesProviderDto)
  managedInstancesProvider?: ManagedInstancesProviderDto;

  @ApiPropertyOptional({ type: AutoScalingGroupProviderDto })
  @IsOptional()
  @NotTogetherWith('managedInstancesProvider')
  @IsObject()
  @ValidateNested()
  @Type(() => AutoScalingGroupProviderDto)
  autoScalingGroupProvider?: AutoScalingGroupProviderDto;

  @ApiPropertyOptional({ type: [TagDto], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @HasUniqueKeys('key')
  @ValidateNested({ each: true })
  @Type(() => TagDto)
  tags?: TagDto[];
}
