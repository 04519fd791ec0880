import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { PutMetricDataDto, Subjects } from '@daemonfleet/contracts';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { GatewayCommands } from '../rest/gateway-commands.js';

/** CloudWatch's PutMetricData: data points that alarms evaluate. */
@ApiTags('metrics')
@Controller('v1/metrics')
export class MetricsController {
  constructor(
    private readonly commands: GatewayCommands,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'PutMetricData: up to 1,000 data points of one namespace, stamped within the past two weeks and two hours ahead' })
  async put(@Body() dto: PutMetricDataDto, @HttpRequest() request: Request) {
    await this.commands.send(Subjects.alarms.putMetricData, dto, requestMeta(request, this.config));
    return {};
  }
}
