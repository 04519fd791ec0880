import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RegisterTaskDefinitionDto, Subjects } from '@daemonfleet/contracts';
import { resolveTaskDefinitionReference } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { PathResourceNotFound } from '../http/ecs-errors.js';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { presentTaskDefinition } from '../presenters/task-definition.presenter.js';
import { TaskDefinitionQueries } from '../read-models/task-definition.queries.js';
import { GatewayCommands } from './gateway-commands.js';

/** Application task definitions: what services run (daemons have their own, /v1/daemon-task-definitions). */
@ApiTags('task definitions')
@Controller('v1/task-definitions')
export class TaskDefinitionsController {
  constructor(
    private readonly commands: GatewayCommands,
    private readonly taskDefinitions: TaskDefinitionQueries,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'RegisterTaskDefinition: the next revision of an application task definition family' })
  async register(@Body() dto: RegisterTaskDefinitionDto, @HttpRequest() request: Request) {
    const meta = requestMeta(request, this.config);
    const { result } = await this.commands.send(Subjects.fleet.registerTaskDefinition, dto, meta);
    const registered = await this.taskDefinitions.find(resolveTaskDefinitionReference('taskDefinitionArn', result.taskDefinitionArn, meta.scope));
    return { taskDefinitionArn: result.taskDefinitionArn, taskDefinition: registered && presentTaskDefinition(registered) };
  }

  @Get(':reference')
  @ApiOperation({ summary: 'DescribeTaskDefinition: family (latest revision), family:revision or ARN (URL-encoded)' })
  async describe(@Param('reference') reference: string, @HttpRequest() request: Request) {
    const { scope } = requestMeta(request, this.config);
    const found = await this.taskDefinitions.find(resolveTaskDefinitionReference('taskDefinition', reference, scope));
    if (!found) throw new PathResourceNotFound('ClientException', `Unable to describe task definition: ${reference} does not exist`);
    return { taskDefinition: presentTaskDefinition(found) };
  }
}
