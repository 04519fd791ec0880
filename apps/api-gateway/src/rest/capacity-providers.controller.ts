import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AddInstancesDto, CreateCapacityProviderDto, ErrorCode, Streams, Subjects } from '@daemonfleet/contracts';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { notFoundInPath, PathResourceNotFound } from '../http/ecs-errors.js';
import { NamePipe } from '../http/name.pipe.js';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { presentCapacityProvider } from '../presenters/fleet.presenter.js';
import { FleetQueries } from '../read-models/fleet.queries.js';
import { GatewayCommands } from './gateway-commands.js';

@ApiTags('capacity providers')
@Controller('v1/capacity-providers')
export class CapacityProvidersController {
  constructor(
    private readonly commands: GatewayCommands,
    private readonly fleet: FleetQueries,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'CreateCapacityProvider: a Managed Instances provider of a cluster (or an Auto Scaling group provider)' })
  async create(@Body() dto: CreateCapacityProviderDto, @HttpRequest() request: Request) {
    const meta = requestMeta(request, this.config);
    const { result } = await this.commands.send(Subjects.fleet.createCapacityProvider, dto, meta);
    const created = await this.fleet.capacityProvider(Streams.capacityProvider(meta.scope, result.name));
    return { capacityProvider: presentCapacityProvider(created ?? result) };
  }

  @Get()
  @ApiOperation({ summary: 'DescribeCapacityProviders, for every provider' })
  async list(@HttpRequest() request: Request) {
    const { scope } = requestMeta(request, this.config);
    return { capacityProviders: (await this.fleet.capacityProviders(scope)).map(presentCapacityProvider) };
  }

  @Get(':name')
  @ApiOperation({ summary: 'DescribeCapacityProviders, for one provider' })
  async describe(@Param('name', new NamePipe('name')) name: string, @HttpRequest() request: Request) {
    const { scope } = requestMeta(request, this.config);
    const provider = await this.fleet.capacityProvider(Streams.capacityProvider(scope, name));
    if (!provider) throw new PathResourceNotFound('ClientException', `The specified capacity provider does not exist: ${name}`);
    return { capacityProvider: presentCapacityProvider(provider) };
  }

  @Post(':name/instances')
  @HttpCode(201)
  @ApiOperation({ summary: 'Adds instances to a provider directly, as if something else needed the capacity (simulation control, not an ECS operation)' })
  async addInstances(@Param('name', new NamePipe('name')) name: string, @Body() dto: AddInstancesDto, @HttpRequest() request: Request) {
    const { result } = await this.commands
      .send(Subjects.fleet.addInstances, { capacityProvider: name, count: dto.count }, requestMeta(request, this.config))
      .catch(notFoundInPath(ErrorCode.CapacityProviderNotFound));
    return { containerInstanceArns: result.containerInstanceArns };
  }
}
