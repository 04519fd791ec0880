import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectionsStatusQuery, RebuildProjectionsRequest } from '../replay/replay-queries.dto.js';
import { ReadModelFeed } from './read-model-feed.js';

/** Operator control of this gateway's read models (they are this replica's own; each replica rebuilds its own). */
@ApiTags('projections')
@Controller('v1/projections')
export class ProjectionsController {
  constructor(private readonly feed: ReadModelFeed) {}

  @Get()
  @ApiOperation({ summary: 'Where this gateway’s read models are: the last event they hold, whether they caught up, and where they started from' })
  status(@Query() _query: ProjectionsStatusQuery) {
    return this.feed.status();
  }

  @Post('rebuild')
  @HttpCode(200)
  @ApiBody({ required: false, description: 'Nothing, or an empty object: any field is refused.', schema: { type: 'object', properties: {}, additionalProperties: false } })
  @ApiOperation({ summary: 'Drops this gateway’s read models and their snapshot and rebuilds them from the event store; answers once caught up' })
  rebuild(@Body() _body: RebuildProjectionsRequest) {
    return this.feed.rebuild();
  }
}
