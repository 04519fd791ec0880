import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { DEPLOYMENT_EVENT_TYPES } from './deployment-event-types.js';

/*
 * The query strings of the replay API. Every entry point takes a DTO, even one with no parameter at all: the global
 * pipe (whitelist + forbidNonWhitelisted) then refuses an unknown parameter with 400, naming it, rather than ignoring
 * a misspelt filter and answering as if it had not been given. Within a property, the type check is the decorator
 * closest to it: it runs first, so `maxResults=abc` says "must be an integer", not "must not be greater than 1000".
 */

/** A query string gives one value as a string and several as an array; list members always take the array. */
const asList = ({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value);

/** Categories a feed query may name at once: far more than the system has, few enough to bound the filter. */
export const MAX_FEED_CATEGORIES = 32;

/** The value, when both are given, is not below the one of `property` (a version range that is not empty by mistake). */
function NotBelow(property: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notBelow',
      constraints: [property],
      validator: {
        validate: (value: unknown, args) => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[property];
          return typeof value !== 'number' || typeof other !== 'number' || value >= other;
        },
        defaultMessage: (args) => `${args?.property} must not be less than ${property}`,
      },
    },
    options,
  );
}

export class DeploymentEventsQuery {
  @ApiPropertyOptional({ enum: DEPLOYMENT_EVENT_TYPES, isArray: true, description: 'Only events of these types; repeat the parameter for several.' })
  @IsOptional() @Transform(asList) @ArrayMaxSize(DEPLOYMENT_EVENT_TYPES.length) @IsIn(DEPLOYMENT_EVENT_TYPES, { each: true, message: `type must be one of ${DEPLOYMENT_EVENT_TYPES.join(', ')}` }) @IsArray()
  type?: string[];

  @ApiPropertyOptional({ minimum: 1, description: 'First version, inclusive.' })
  @IsOptional() @Type(() => Number) @Min(1) @IsInt()
  fromVersion?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Last version, inclusive; not below fromVersion.' })
  @IsOptional() @Type(() => Number) @NotBelow('fromVersion') @Min(1) @IsInt()
  toVersion?: number;

  @ApiPropertyOptional({ description: 'With the deployment after each event, as DescribeDaemonDeployments shows it, and its progress.' })
  @IsOptional() @IsIn(['true', 'false'])
  withState?: 'true' | 'false';

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 }) @IsOptional() @Type(() => Number) @Max(1000) @Min(1) @IsInt() maxResults?: number;
  @ApiPropertyOptional() @IsOptional() @Length(1, 4096) @IsString() nextToken?: string;
}

export class DeploymentStateQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'The deployment rebuilt from its first n events; the latest when absent.' })
  @IsOptional() @Type(() => Number) @Min(1) @IsInt()
  atVersion?: number;
}

/**
 * Refuses the property whenever it is given. The validator refuses a DTO with no rule at all (forbidUnknownValues),
 * so a DTO of an entry point that takes nothing holds one such property, which no request has reason to send.
 */
function Absent(): PropertyDecorator {
  return ValidateBy({
    name: 'absent',
    validator: { validate: (value: unknown) => value === undefined, defaultMessage: (args) => `property ${args?.property} should not exist` },
  });
}

/** An entry point that takes no parameter: whatever is given is refused, named (whitelist + forbidNonWhitelisted). */
export class NoParameters {
  @Absent() readonly none?: never;
}

/** The watch takes no query parameter (where to resume is the Last-Event-ID header): any is refused. */
export class DeploymentWatchQuery extends NoParameters {}

/** Stream categories: the part of a stream id before its first `-` (`daemonDeployment`, `capacityProvider`, ...). */
export class EventFeedQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1, description: 'First global position, inclusive; pass the previous answer’s nextPosition.' })
  @IsOptional() @Type(() => Number) @Min(1) @IsInt()
  fromPosition?: number;

  @ApiPropertyOptional({ isArray: true, type: String, description: 'Only these stream categories; repeat the parameter for several.' })
  @IsOptional() @Transform(asList) @ArrayMaxSize(MAX_FEED_CATEGORIES) @Matches(/^[a-z][a-zA-Z0-9]{0,63}$/, { each: true, message: 'category must be a stream category such as daemonDeployment' }) @IsArray()
  category?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 }) @IsOptional() @Type(() => Number) @Max(1000) @Min(1) @IsInt() maxResults?: number;
}

/** GET /v1/projections takes no query parameter: any is refused. */
export class ProjectionsStatusQuery extends NoParameters {}

/** POST /v1/projections/rebuild takes no body (or an empty object): any field is refused. */
export class RebuildProjectionsRequest extends NoParameters {}
