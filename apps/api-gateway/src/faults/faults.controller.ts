import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AddFaultRuleDto, ErrorCode, Subjects } from '@daemonfleet/contracts';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { notFoundInPath } from '../http/ecs-errors.js';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { epochSeconds } from '../presenters/epoch-seconds.js';
import { GatewayCommands } from '../rest/gateway-commands.js';
import { FaultIdPipe } from './fault-id.pipe.js';
import { FaultRuleQueries, type ActiveFaultRule } from './fault-rule.queries.js';

/**
 * Emulator control, not an ECS operation: faults injected into the simulated fleet. A daemon task whose task
 * definition runs a rule's image fails to start at `daemonTaskStartFailureRate`, and an instance launched to run
 * it fails to provision at `instanceProvisioningFailureRate` (both retried with backoff).
 */
@ApiTags('faults (emulator control)')
@Controller('v1/faults')
export class FaultsController {
  constructor(
    private readonly commands: GatewayCommands,
    private readonly rules: FaultRuleQueries,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Adds a fault rule on a container image; answers its id' })
  async add(@Body() dto: AddFaultRuleDto, @HttpRequest() request: Request) {
    const { result } = await this.commands.send(Subjects.fleet.addFaultRule, dto, requestMeta(request, this.config));
    return { id: result.faultId };
  }

  @Get()
  @ApiOperation({ summary: 'The fault rules in force, oldest first' })
  async list() {
    return { faults: (await this.rules.active()).map(presentFaultRule) };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Removes a fault rule: what it made fail is retried as usual, and now succeeds' })
  async remove(@Param('id', FaultIdPipe) id: string, @HttpRequest() request: Request) {
    await this.commands.send(Subjects.fleet.removeFaultRule, { faultId: id }, requestMeta(request, this.config)).catch(notFoundInPath(ErrorCode.FaultRuleNotFound));
    return { id };
  }
}

function presentFaultRule(rule: ActiveFaultRule) {
  const { faultId, image, daemonTaskStartFailureRate, instanceProvisioningFailureRate, addedAt } = rule;
  return { id: faultId, image, daemonTaskStartFailureRate, instanceProvisioningFailureRate, createdAt: epochSeconds(addedAt) };
}
