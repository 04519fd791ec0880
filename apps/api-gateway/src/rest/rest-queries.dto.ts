import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import {
  DAEMON_DEPLOYMENT_STATUSES,
  ListDaemonDeploymentsDto,
  ListDaemonsDto,
  NAME_PATTERN,
  NAME_RULE,
  type DaemonDeploymentStatus,
} from '@daemonfleet/contracts';

/** A query string gives one value as a string and several as an array; list members always take the array. */
const asList = ({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value);

export class ListDaemonsQuery extends ListDaemonsDto {
  @ApiPropertyOptional({ type: [String], description: 'Repeat the parameter for several providers.' })
  @Transform(asList)
  override capacityProviderArns?: string[];
}

export class ListDaemonDeploymentsQuery extends ListDaemonDeploymentsDto {
  @ApiPropertyOptional({ enum: DAEMON_DEPLOYMENT_STATUSES, isArray: true, description: 'Repeat the parameter for several statuses.' })
  @Transform(asList)
  override status?: DaemonDeploymentStatus[];
}

/** ECS list paging; each operation says its default page size. */
class PagedQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) maxResults?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 4096) nextToken?: string;
}

/** ECS's container instance statuses; the simulation's instances are REGISTERING, ACTIVE or DRAINING. */
export const CONTAINER_INSTANCE_STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED'] as const;

export class ListContainerInstancesQuery extends PagedQuery {
  @ApiPropertyOptional({ enum: CONTAINER_INSTANCE_STATUSES }) @IsOptional() @IsIn(CONTAINER_INSTANCE_STATUSES) status?: (typeof CONTAINER_INSTANCE_STATUSES)[number];
}

export const TASK_DESIRED_STATUSES = ['RUNNING', 'PENDING', 'STOPPED'] as const;

export class ListTasksQuery extends PagedQuery {
  @ApiPropertyOptional({ description: 'The tasks of this daemon (spec 2.13).' })
  @IsOptional() @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` })
  daemonName?: string;

  @ApiPropertyOptional({ description: 'The tasks of this service.' })
  @IsOptional() @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` })
  serviceName?: string;

  @ApiPropertyOptional({ description: 'Container instance id, ARN or EC2 instance id.' })
  @IsOptional() @IsString() @Length(1, 2048)
  containerInstance?: string;

  @ApiPropertyOptional({ enum: TASK_DESIRED_STATUSES, default: 'RUNNING' }) @IsOptional() @IsIn(TASK_DESIRED_STATUSES) desiredStatus?: (typeof TASK_DESIRED_STATUSES)[number];
}

export class ListServicesQuery extends PagedQuery {}
