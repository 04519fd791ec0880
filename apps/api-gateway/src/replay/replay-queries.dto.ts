import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { DEPLOYMENT_EVENT_TYPES } from './deployment-event-types.js';

/** A query string gives one value as a string and several as an array; list members always take the array. */
const asList = ({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value);

export class DeploymentEventsQuery {
  @ApiPropertyOptional({ enum: DEPLOYMENT_EVENT_TYPES, isArray: true, description: 'Only events of these types; repeat the parameter for several.' })
  @IsOptional() @Transform(asList) @IsArray() @IsIn(DEPLOYMENT_EVENT_TYPES, { each: true, message: `type must be one of ${DEPLOYMENT_EVENT_TYPES.join(', ')}` })
  type?: string[];

  @ApiPropertyOptional({ minimum: 1, description: 'First version, inclusive.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  fromVersion?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Last version, inclusive.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  toVersion?: number;

  @ApiPropertyOptional({ description: 'With the deployment after each event, as DescribeDaemonDeployments shows it, and its progress.' })
  @IsOptional() @IsIn(['true', 'false'])
  withState?: 'true' | 'false';

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) maxResults?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 4096) nextToken?: string;
}

export class DeploymentStateQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'The deployment rebuilt from its first n events; the latest when absent.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  atVersion?: number;
}

/** Stream categories: the part of a stream id before its first `-` (`daemonDeployment`, `capacityProvider`, ...). */
export class EventFeedQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1, description: 'First global position, inclusive; pass the previous answer’s nextPosition.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  fromPosition?: number;

  @ApiPropertyOptional({ isArray: true, type: String, description: 'Only these stream categories; repeat the parameter for several.' })
  @IsOptional() @Transform(asList) @IsArray() @Matches(/^[a-z][a-zA-Z0-9]{0,63}$/, { each: true, message: 'category must be a stream category such as daemonDeployment' })
  category?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) maxResults?: number;
}
