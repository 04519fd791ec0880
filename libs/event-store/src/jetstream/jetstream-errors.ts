import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';

/** The server refused a publish because its subject's last message is not the one the publish expected. */
export function isWrongLastSequence(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence;
}

/**
 * A publish whose fate nobody told us: the request timed out (the stream's leader was lost, or the connection is
 * reconnecting and the publish may still go out), no server subscribed to the subject for a moment, or the stream
 * answered 503 (no leader yet, a proposal dropped during an election). The message may or may not be stored.
 */
export function isAmbiguousPublishFailure(error: unknown): boolean {
  if (error instanceof errors.TimeoutError || error instanceof errors.NoRespondersError) return true;
  if (error instanceof JetStreamApiError) return error.status === 503;
  // nats.js reports "no responders" as a JetStreamNotEnabled error caused by the RequestError.
  const cause = error instanceof Error ? error.cause : undefined;
  return (error instanceof errors.RequestError && error.isNoResponders()) || (cause instanceof errors.RequestError && cause.isNoResponders());
}
