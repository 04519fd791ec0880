import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { NAME_PATTERN, NAME_RULE, TagDto } from './common.dto.js';
import { HasUniqueKeys } from './validators.js';

export class CreateClusterDto {
  @ApiPropertyOptional({ description: 'Defaults to "default".', pattern: NAME_PATTERN.source })
  @IsOptional()
  @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` })
  clusterName?: string;

  @ApiPropertyOptional({ type: [TagDto], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @HasUniqueKeys('key')
  @ValidateNested({ each: true })
  @Type(() => TagDto)
  tags?: TagDto[];
}

/** ECS DeleteCluster: a cluster by name or ARN. */
export class DeleteClusterDto {
  @ApiProperty({ description: 'Cluster name or ARN.' }) @IsString() @Length(1, 2048) cluster: string;
}
