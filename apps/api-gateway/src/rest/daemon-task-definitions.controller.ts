import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ListDaemonTaskDefinitionsDto, RegisterDaemonTaskDefinitionDto, Subjects } from '@daemonfleet/contracts';
import { resolveDaemonTaskDefinitionReference } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { PathResourceNotFound } from '../http/ecs-errors.js';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { familyRevisionSortKey, NextTokens } from '../pagination/next-token.js';
import { presentDaemonTaskDefinition, presentDaemonTaskDefinitionSummary } from '../presenters/daemon-task-definition.presenter.js';
import { DaemonTaskDefinitionQueries } from '../read-models/daemon-task-definition.queries.js';
import { GatewayCommands } from './gateway-commands.js';

@ApiTags('daemon task definitions')
@Controller('v1/daemon-task-definitions')
export class DaemonTaskDefinitionsController {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly commands: GatewayCommands,
    private readonly taskDefinitions: DaemonTaskDefinitionQueries,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'RegisterDaemonTaskDefinition: the next revision of a family' })
  async register(@Body() dto: RegisterDaemonTaskDefinitionDto, @HttpRequest() request: Request) {
    const meta = requestMeta(request, this.config);
    const { result } = await this.commands.send(Subjects.orchestrator.registerDaemonTaskDefinition, dto, meta);
    const reference = resolveDaemonTaskDefinitionReference('daemonTaskDefinitionArn', result.daemonTaskDefinitionArn, meta.scope, { requireRevision: true });
    const registered = await this.taskDefinitions.find(reference);
    return { daemonTaskDefinitionArn: result.daemonTaskDefinitionArn, daemonTaskDefinition: registered && presentDaemonTaskDefinition(registered) };
  }

  @Get()
  @ApiOperation({ summary: 'ListDaemonTaskDefinitions: by family then revision, ascending unless sort=DESC' })
  async list(@Query() query: ListDaemonTaskDefinitionsDto, @HttpRequest() request: Request) {
    const { scope } = requestMeta(request, this.config);
    const revisions = await this.taskDefinitions.list(scope, query);
    const { nextToken, maxResults, ...filters } = query;
    const descending = query.sort === 'DESC';
    const page = this.nextTokens.page('ListDaemonTaskDefinitions', filters, revisions, (r) => familyRevisionSortKey(r.family, r.revision, { descending }), {
      maxResults: maxResults ?? 100,
      nextToken,
    });
    return { daemonTaskDefinitions: page.items.map(presentDaemonTaskDefinitionSummary), nextToken: page.nextToken };
  }

  @Get(':reference')
  @ApiOperation({ summary: 'DescribeDaemonTaskDefinition: family (latest ACTIVE), family:revision or ARN (URL-encoded)' })
  async describe(@Param('reference') reference: string, @HttpRequest() request: Request) {
    const { scope } = requestMeta(request, this.config);
    const found = await this.taskDefinitions.find(resolveDaemonTaskDefinitionReference('daemonTaskDefinition', reference, scope, { requireRevision: false }));
    if (!found) throw new PathResourceNotFound('ClientException', `Unable to describe daemon task definition: ${reference} does not exist`);
    return { daemonTaskDefinition: presentDaemonTaskDefinition(found) };
  }

  @Delete(':reference')
  @ApiOperation({ summary: 'DeleteDaemonTaskDefinition: family:revision or ARN; the revision goes DELETE_IN_PROGRESS' })
  async delete(@Param('reference') reference: string, @HttpRequest() request: Request) {
    const meta = requestMeta(request, this.config);
    const { result } = await this.commands.send(Subjects.orchestrator.deleteDaemonTaskDefinition, { daemonTaskDefinition: reference }, meta);
    const resolved = resolveDaemonTaskDefinitionReference('daemonTaskDefinition', result.daemonTaskDefinitionArn, meta.scope, { requireRevision: true });
    const deleted = await this.taskDefinitions.find(resolved);
    return { daemonTaskDefinition: deleted && presentDaemonTaskDefinition(deleted) };
  }
}
