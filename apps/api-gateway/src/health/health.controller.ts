import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import { Subjects } from '@daemonfleet/contracts';
import type { EventStore } from '@daemonfleet/event-store';
import { EVENT_STORE, SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { restMeta } from '../http/request-meta.js';
import { ReadModelFeed } from '../read-models/read-model-feed.js';
import { GatewayCommands } from '../rest/gateway-commands.js';

const CHECK_TIMEOUT_MS = 2_000;

/** 200 once every dependency is ready; 503 naming each one that is not, and why. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly commands: GatewayCommands,
    private readonly feed: ReadModelFeed,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Readiness: the event store, the transport, the read models and a replica of each service' })
  async check(@Res() response: Response): Promise<void> {
    const meta = restMeta(this.config, 'health');
    const ping = (key: string, subject: (typeof Subjects)[keyof typeof Subjects]['ping']) => () =>
      this.indicators.check(key).attempt(() => this.commands.ping(subject, meta, CHECK_TIMEOUT_MS).then(() => undefined)).withTimeout(CHECK_TIMEOUT_MS);
    try {
      const result = await this.health.check([
        () => this.indicators.check('eventStore').attempt(() => this.store.checkHealth()).withTimeout(CHECK_TIMEOUT_MS),
        () => this.indicators.check('transport').attempt(() => this.commands.checkTransport()).withTimeout(CHECK_TIMEOUT_MS),
        () => this.indicators.check('readModels').attempt(() => this.feed.checkCaughtUp()),
        ping('deploymentOrchestrator', Subjects.orchestrator.ping),
        ping('fleetAgent', Subjects.fleet.ping),
        ping('alarmMonitor', Subjects.alarms.ping),
      ]);
      response.status(200).json(result);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503).json(error.getResponse());
    }
  }
}
