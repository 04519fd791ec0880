import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MessageMeta, PutMetricDataDto, Streams, Subjects, type CommandReply } from '@daemonfleet/contracts';
import { metricDataBatches } from '@daemonfleet/domain';
import type { EventStore } from '@daemonfleet/event-store';
import { CLOCK, EVENT_STORE, eventSchemas, IDS, type Clock, type IdGenerator } from '@daemonfleet/service-runtime';
import { metricDataAppendId } from './metric-data-streams.js';

/**
 * CloudWatch PutMetricData: the data points are stored, one event per call and hour of data (Streams.metricData).
 * Metric streams are logs, not aggregates: appends take any version. The alarms watching the metrics learn of the
 * data from the store (MetricWindows), on every replica, whichever replica stored it.
 */
@Controller()
export class MetricDataMessageController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @MessagePattern(Subjects.alarms.putMetricData)
  async putMetricData(@Payload('data') dto: PutMetricDataDto, @Payload('meta') meta: MessageMeta): Promise<CommandReply<{ accepted: number }>> {
    const now = this.clock.now();
    let position = 0;
    for (const { bucket, event } of metricDataBatches(dto.namespace, dto.metricData, now)) {
      const streamId = Streams.metricData(meta.scope, dto.namespace, bucket);
      const metadata = { eventId: this.ids.uuid(), occurredAt: new Date(now).toISOString(), correlationId: meta.correlationId, schemaVersion: eventSchemas.currentVersion(event.type) };
      const appended = await this.store.appendToStream(streamId, [{ ...event, metadata }], {
        expectedVersion: 'any',
        ...(dto.clientToken === undefined ? {} : { appendId: metricDataAppendId(streamId, dto.clientToken) }),
      });
      position = Math.max(position, appended.globalPosition);
    }
    return { result: { accepted: dto.metricData.length }, position };
  }
}
