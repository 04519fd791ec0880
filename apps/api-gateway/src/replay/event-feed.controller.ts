import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@daemonfleet/event-store';
import { EVENT_STORE } from '@daemonfleet/service-runtime';
import { presentRecordedEvent } from './replay.presenter.js';
import { EventFeedQuery } from './replay-queries.dto.js';

/**
 * Every stream's events in the store's global order: what the services themselves read. Positions increase but
 * need not be dense (JetStream leaves gaps): page with `nextPosition`, never with position + 1 of a count.
 */
@ApiTags('replay')
@Controller('v1/events')
export class EventFeedController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiOperation({ summary: 'The global feed of events across all streams, from a position on, optionally of some stream categories' })
  async feed(@Query() { fromPosition = 1, category, maxResults = 100 }: EventFeedQuery) {
    const events = await this.store.readAll({ fromPosition, maxCount: maxResults, ...(category ? { filter: { categories: category } } : {}) });
    // Read after the events: the head is never behind the last of them.
    const headPosition = await this.store.headPosition();
    const last = events.at(-1);
    return {
      events: events.map((event) => ({ streamId: event.streamId, ...presentRecordedEvent(event) })),
      nextPosition: last ? last.globalPosition + 1 : fromPosition,
      headPosition,
    };
  }
}
