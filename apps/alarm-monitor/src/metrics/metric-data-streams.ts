import { createHash } from 'node:crypto';
import { StreamCategory, type Scope } from '@daemonfleet/contracts';

/**
 * The account and region of a metric data stream (`metric-<account>.<region>.<namespace>.<bucket>`, Streams.metricData):
 * accounts are digits and regions have no dot, so the first two tokens are they.
 */
export function metricDataStreamScope(streamId: string): Scope {
  const [accountId, region] = streamId.slice(StreamCategory.metric.length + 1).split('.');
  return { accountId, region };
}

/** The append id of a PutMetricData with a clientToken, per stream: a repeated call appends nothing (event store). */
export function metricDataAppendId(streamId: string, clientToken: string): string {
  return `metricData.${createHash('sha256').update(`${streamId}\n${clientToken}`).digest('base64url')}`;
}
