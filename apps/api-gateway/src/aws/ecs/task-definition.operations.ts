import { Injectable } from '@nestjs/common';
import { RegisterTaskDefinitionDto, Subjects, type Tag } from '@daemonfleet/contracts';
import { resolveTaskDefinitionReference } from '@daemonfleet/domain';
import { presentTaskDefinition } from '../../presenters/task-definition.presenter.js';
import { TaskDefinitionQueries } from '../../read-models/task-definition.queries.js';
import { GatewayCommands } from '../../rest/gateway-commands.js';
import { AwsException } from '../aws-errors.js';
import { operation, type EcsOperationGroup } from './ecs-operation.js';
import { DescribeTaskDefinitionRequest } from './ecs-requests.dto.js';

/** Application task definitions: what services run (daemons have their own). */
@Injectable()
export class TaskDefinitionOperations implements EcsOperationGroup {
  constructor(
    private readonly commands: GatewayCommands,
    private readonly taskDefinitions: TaskDefinitionQueries,
  ) {}

  readonly operations = {
    RegisterTaskDefinition: operation('RegisterTaskDefinition', RegisterTaskDefinitionDto, async (input, { meta }) => {
      const { result } = await this.commands.send(Subjects.fleet.registerTaskDefinition, input, meta);
      const registered = await this.taskDefinitions.find(resolveTaskDefinitionReference('taskDefinitionArn', result.taskDefinitionArn, meta.scope));
      return { taskDefinition: registered && presentTaskDefinition(registered), tags: [...(input.tags ?? [])] };
    }),

    /** Family (its latest revision), family:revision or ARN; the tags only with include TAGS, as ECS answers. */
    DescribeTaskDefinition: operation('DescribeTaskDefinition', DescribeTaskDefinitionRequest, async ({ taskDefinition, include }, { scope }) => {
      const found = await this.taskDefinitions.find(resolveTaskDefinitionReference('taskDefinition', taskDefinition, scope));
      if (!found) throw new AwsException('ClientException', `Unable to describe task definition: ${taskDefinition} does not exist`);
      return { taskDefinition: presentTaskDefinition(found), ...(include?.includes('TAGS') ? { tags: [...((found.definition.tags as readonly Tag[] | undefined) ?? [])] } : {}) };
    }),
  };
}
