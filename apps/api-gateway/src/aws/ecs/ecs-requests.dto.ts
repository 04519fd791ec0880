import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CapacityProviderStrategyItemDto, DAEMON_DEPLOYMENT_STATUSES, NAME_PATTERN, NAME_RULE, ServiceRefDto, type DaemonDeploymentStatus } from '@daemonfleet/contracts';
import { CONTAINER_INSTANCE_STATUSES, TASK_DESIRED_STATUSES } from '../../rest/rest-queries.dto.js';

// Requests of the ECS operations whose wire shape differs from the REST API's. Members follow the ECS model
// (@aws-sdk/client-ecs 3.1164.0); a member it has that is not here is refused by name (aws-input.ts). Numbers are
// JSON numbers: unlike a query string's, a wire value is not converted ("5" or true is no maxResults).

/** A list of resource names or ARNs, each at most an ARN's length. */
function References({ min, max }: { min: number; max: number }): PropertyDecorator {
  return (target, key) => {
    IsArray()(target, key);
    ArrayMinSize(min)(target, key);
    ArrayMaxSize(max)(target, key);
    IsString({ each: true })(target, key);
    Length(1, 2048, { each: true })(target, key);
  };
}

/** ECS's `include` values, per operation: accepted; tags are always part of the answer. */
function Include(values: readonly string[]): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(values.length)(target, key);
    IsIn(values, { each: true })(target, key);
  };
}

/** A page of at most `max` (every ECS list has its own bound). */
function MaxResults(max: number): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsInt()(target, key);
    Min(1)(target, key);
    Max(max)(target, key);
  };
}

class NextToken {
  @IsOptional() @IsString() @Length(1, 4096) nextToken?: string;
}

class InCluster {
  @IsOptional() @IsString() @Length(1, 2048) cluster?: string;
}

export class DescribeClustersRequest {
  @IsOptional() @References({ min: 0, max: 100 }) clusters?: string[];
  @Include(['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS']) include?: string[];
}

export class ListClustersRequest extends NextToken {
  @MaxResults(100) maxResults?: number;
}

export class PutClusterCapacityProvidersRequest {
  @IsString() @Length(1, 2048) cluster: string;
  @References({ min: 0, max: 20 }) capacityProviders: string[];
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => CapacityProviderStrategyItemDto)
  defaultCapacityProviderStrategy: CapacityProviderStrategyItemDto[];
}

export class DescribeCapacityProvidersRequest extends NextToken {
  @IsOptional() @References({ min: 0, max: 100 }) capacityProviders?: string[];
  @IsOptional() @IsString() @Length(1, 2048) cluster?: string;
  @Include(['TAGS']) include?: string[];
  /** ECS pages capacity providers by 10 at most. */
  @MaxResults(10) maxResults?: number;
}

export class DescribeTaskDefinitionRequest {
  @IsString() @Length(1, 2048) taskDefinition: string;
  @Include(['TAGS']) include?: string[];
}

export class DescribeServicesRequest extends InCluster {
  @References({ min: 1, max: 10 }) services: string[];
  @Include(['TAGS']) include?: string[];
}

export class ListServicesRequest extends InCluster {
  @MaxResults(100) maxResults?: number;
  @IsOptional() @IsString() @Length(1, 4096) nextToken?: string;
}

export class DeleteServiceRequest extends ServiceRefDto {
  /** Without it, a service that still wants tasks is refused, as ECS does. */
  @IsOptional() @IsBoolean() force?: boolean;
}

export class ListContainerInstancesRequest extends InCluster {
  @IsOptional() @IsIn(CONTAINER_INSTANCE_STATUSES) status?: (typeof CONTAINER_INSTANCE_STATUSES)[number];
  @MaxResults(100) maxResults?: number;
  @IsOptional() @IsString() @Length(1, 4096) nextToken?: string;
}

export class DescribeContainerInstancesRequest extends InCluster {
  @References({ min: 1, max: 100 }) containerInstances: string[];
  @Include(['TAGS', 'CONTAINER_INSTANCE_HEALTH']) include?: string[];
}

export class ListTasksRequest extends InCluster {
  @IsOptional() @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` }) daemonName?: string;
  @IsOptional() @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` }) serviceName?: string;
  /** Container instance id, ARN or EC2 instance id. */
  @IsOptional() @IsString() @Length(1, 2048) containerInstance?: string;
  @IsOptional() @IsIn(TASK_DESIRED_STATUSES) desiredStatus?: (typeof TASK_DESIRED_STATUSES)[number];
  @MaxResults(100) maxResults?: number;
  @IsOptional() @IsString() @Length(1, 4096) nextToken?: string;
}

export class ListDaemonsRequest extends NextToken {
  @IsOptional() @IsString() @Length(1, 2048) clusterArn?: string;
  @IsOptional() @References({ min: 0, max: 20 }) capacityProviderArns?: string[];
  @MaxResults(100) maxResults?: number;
}

export class ListDaemonTaskDefinitionsRequest extends NextToken {
  @IsOptional() @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` }) familyPrefix?: string;
  @IsOptional() @Matches(NAME_PATTERN, { message: `$property ${NAME_RULE}` }) family?: string;
  @IsOptional() @IsIn(['LAST_REGISTERED']) revision?: 'LAST_REGISTERED';
  @IsOptional() @IsIn(['ACTIVE', 'DELETE_IN_PROGRESS', 'ALL']) status?: 'ACTIVE' | 'DELETE_IN_PROGRESS' | 'ALL';
  @IsOptional() @IsIn(['ASC', 'DESC']) sort?: 'ASC' | 'DESC';
  @MaxResults(100) maxResults?: number;
}

export class DescribeTasksRequest extends InCluster {
  @References({ min: 1, max: 100 }) tasks: string[];
  @Include(['TAGS']) include?: string[];
}

/** Epoch seconds, up to the end of the year 9999. */
const LAST_EPOCH_SECOND = 253_402_300_799;

export class CreatedAtFilterDto {
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(LAST_EPOCH_SECOND) after?: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(LAST_EPOCH_SECOND) before?: number;
}

export class ListDaemonDeploymentsRequest extends NextToken {
  @IsString() @Length(1, 2048) daemonArn: string;
  @IsOptional() @IsArray() @ArrayMaxSize(8) @IsIn(DAEMON_DEPLOYMENT_STATUSES, { each: true }) status?: DaemonDeploymentStatus[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => CreatedAtFilterDto) createdAt?: CreatedAtFilterDto;
  @MaxResults(100) maxResults?: number;
}

/** Up to 20 ARNs (spec 2.10, 2.12). */
export class DescribeDaemonRevisionsRequest {
  @References({ min: 1, max: 20 }) daemonRevisionArns: string[];
}

export class DescribeDaemonDeploymentsRequest {
  @References({ min: 1, max: 20 }) daemonDeploymentArns: string[];
}
