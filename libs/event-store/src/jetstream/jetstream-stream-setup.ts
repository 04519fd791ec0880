import { JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { JetStreamNaming } from './jetstream-naming.js';

export interface EventStreamSettings {
  readonly replicas: number;
  readonly duplicateWindowMs: number;
}

/**
 * Creates the events stream unless it exists, and checks that an existing one captures the store's subjects.
 * The stream refuses deletes and purges: the store is append-only, and the appender relies on a subject's last
 * sequence never going back (see JetStreamAppender.originalOfRetry).
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
