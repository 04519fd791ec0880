import { Controller, Get, Headers, Inject, Injectable, Param, Query, Res, type BeforeApplicationShutdown } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Streams } from '@daemonfleet/contracts';
import type { EventStore } from '@daemonfleet/event-store';
import { EVENT_STORE, RequestValidationError } from '@daemonfleet/service-runtime';
import { ReadModelFeed } from '../read-models/read-model-feed.js';
import { checkId, notFound } from './deployment-replay.controller.js';
import { DeploymentWatch } from './deployment-watch.js';
import { DeploymentWatchQuery } from './replay-queries.dto.js';

/** The open watches, ended when the gateway stops: an open event stream would otherwise hold the HTTP server open. */
@Injectable()
export class DeploymentWatches implements BeforeApplicationShutdown {
  private readonly open = new Set<DeploymentWatch>();

  add(watch: DeploymentWatch): void {
    this.open.add(watch);
  }

  remove(watch: DeploymentWatch): void {
    this.open.delete(watch);
  }

  beforeApplicationShutdown(): void {
    for (const watch of [...this.open]) watch.close();
  }
}

@ApiTags('replay')
@Controller('v1/deployments')
export class DeploymentWatchController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly feed: ReadModelFeed,
    private readonly watches: DeploymentWatches,
  ) {}

  @Get(':deploymentId/watch')
  @ApiOperation({ summary: 'Server-sent events: each event of the deployment with the deployment after it, live, until it finishes; resumable' })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The last version received: the stream resumes after it.' })
  async watch(
    @Param('deploymentId') deploymentId: string,
    @Query() _query: DeploymentWatchQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    checkId(deploymentId);
    const after = lastEventId === undefined || lastEventId === '' ? 0 : /^\d{1,15}$/.test(lastEventId.trim()) ? Number(lastEventId) : NaN;
    if (!Number.isSafeInteger(after)) throw new RequestValidationError('Last-Event-ID', 'Last-Event-ID must be a version: a whole number from 0');
    if ((await this.store.readStream(Streams.daemonDeployment(deploymentId), { maxCount: 1 })).length === 0) throw notFound(deploymentId);
    const watch: DeploymentWatch = new DeploymentWatch(this.store, this.feed, deploymentId, after, response, () => this.watches.remove(watch));
    this.watches.add(watch);
    await watch.start();
  }
}
