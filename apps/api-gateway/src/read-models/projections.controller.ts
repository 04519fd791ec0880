import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadModelFeed } from './read-model-feed.js';

/** Operator control of this gateway's read models (they are this replica's own; each replica rebuilds its own). */
@ApiTags('projections')
@Controller('v1/projections')
export class ProjectionsController {
  constructor(private readonly feed: ReadModelFeed) {}

  @Get()
  @ApiOperation({ summary: 'Where this gateway’s read models are: the global position of the last event they hold' })
  status() {
    return { position: this.feed.position() };
  }

  @Post('rebuild')
  @HttpCode(200)
  @ApiOperation({ summary: 'Drops this gateway’s read models and their snapshot and rebuilds them from the event store; answers once caught up' })
  rebuild() {
    return this.feed.rebuild();
  }
}
