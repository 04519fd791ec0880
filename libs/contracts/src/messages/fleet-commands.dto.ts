import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsString, Length, Matches, Min, ValidateNested, ValidateIf } from 'class-validator';
import type { PlannedDaemonTask } from '../events/fleet.events.js';

/** Ids of instances the simulation creates: `i-` and 17 lower-case hex digits, as EC2's. */
export const INSTANCE_ID_PATTERN = /^i-[0-9a-f]{17}$/;

export class PlannedDaemonTaskDto implements PlannedDaemonTask {
  @IsString() @Length(1, 2048) daemonArn: string;
  @IsString() @Length(1, 2048) daemonRevisionArn: string;
  @IsString() @Length(1, 2048) daemonTaskDefinitionArn: string;
  @IsBoolean() critical: boolean;
}

/** Commands from a deployment to the fleet carry the deployment's stream version: a lower one than seen is refused. */
class FencedDeploymentCommand {
  @IsString() @Length(16, 32) deploymentId: string;
  @IsInt() @Min(1) fence: number;
  @IsString() @Length(1, 2048) capacityProviderArn: string;
  @IsString() @Length(1, 2048) daemonArn: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @Matches(INSTANCE_ID_PATTERN, { each: true }) instanceIds: string[];
}

/**
 * Drain these instances and replace each with a new instance of the same provider whose task of `daemonArn` is
 * `replacementDaemon`, or that runs no task of it when null (a delete deployment, a removed provider).
 * Idempotent per instance: an instance already draining for this deployment is left as it is.
 */
export class StartInstanceDrainsCommand extends FencedDeploymentCommand {
  @ValidateIf((_command, value) => value !== null) @ValidateNested() @Type(() => PlannedDaemonTaskDto)
  replacementDaemon: PlannedDaemonTaskDto | null;
}

/** Relabel the daemon's tasks on these instances as tasks of `toRevisionArn` (decision 12). Idempotent. */
export class AdoptDaemonTasksCommand extends FencedDeploymentCommand {
  @IsString() @Length(1, 2048) toRevisionArn: string;
}
