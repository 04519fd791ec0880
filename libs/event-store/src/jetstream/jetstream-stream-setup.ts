import { JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager, type MsgRequest, type StreamInfo } from '@nats-io/jetstream';
import { errors, nanos } from '@nats-io/transport-node';
import type { JetStreamNaming } from './jetstream-naming.js';

export interface EventStreamSettings {
  readonly replicas: number;
  readonly duplicateWindowMs: number;
}

/**
 * Creates the events stream unless it exists, and checks that an existing one captures the store's subjects.
 * The stream refuses deletes and purges: the store is append-only, and the appender relies on a subject's messages
 * staying where they are (its expectations name them; a retried append walks back through them, own-append-search.ts).
 */
export async function ensureEventStream(jsm: JetStreamManager, naming: JetStreamNaming, settings: EventStreamSettings): Promise<StreamInfo> {
  const existing = await streamInfo(jsm, naming.streamName);
  if (existing) return checked(existing, naming);
  try {
    return await jsm.streams.add({
      name: naming.streamName,
      subjects: [naming.allSubjects],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      num_replicas: settings.replicas,
      duplicate_window: nanos(settings.duplicateWindowMs),
      deny_delete: true,
      deny_purge: true,
    });
  } catch (error) {
    // Another process may have created it at the same moment.
    const raced = await streamInfo(jsm, naming.streamName);
    if (raced) return checked(raced, naming);
    throw error;
  }
}

function checked(info: StreamInfo, naming: JetStreamNaming): StreamInfo {
  if (!info.config.subjects?.includes(naming.allSubjects))
    throw new Error(
      `JetStream stream ${naming.streamName} exists but does not capture ${naming.allSubjects} (its subjects: ${JSON.stringify(info.config.subjects ?? [])})`,
    );
  return info;
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
    throw error;
  }
}

/** How long a connecting store waits for its stream to have a leader (a cluster electing one) before it fails. */
const READY_PATIENCE_MS = 30_000;
const READY_PAUSE_MS = 500;

/**
 * ensureEventStream, then waits until the stream answers a read its leader serves. A replicated stream just created
 * (or whose cluster just restarted) has no leader for a moment: its API requests time out or answer 503 meanwhile,
 * which would otherwise fail the first reads of a starting service.
 */
export async function ensureEventStreamReady(jsm: JetStreamManager, naming: JetStreamNaming, settings: EventStreamSettings): Promise<StreamInfo> {
  const deadline = Date.now() + READY_PATIENCE_MS;
  for (;;) {
    try {
      const info = await ensureEventStream(jsm, naming, settings);
      await jsm.streams.getMessage(naming.streamName, { seq: 1, next_by_subj: '>' } as unknown as MsgRequest);
      return info;
    } catch (error) {
      if (!isTransient(error) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, READY_PAUSE_MS));
    }
  }
}

function isTransient(error: unknown): boolean {
  return error instanceof errors.TimeoutError || error instanceof errors.NoRespondersError || (error instanceof JetStreamApiError && error.status === 503);
}
