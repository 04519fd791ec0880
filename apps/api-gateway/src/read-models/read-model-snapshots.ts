import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { ServiceConfig } from '@daemonfleet/service-runtime';
import { eventSchemas } from '@daemonfleet/service-runtime';
import type { ReadModelsContent } from './read-models.js';

/**
 * Bumped whenever a fold of the read models changes what it makes of the same events (or the content's layout
 * changes): a snapshot written by other folds is then refused and the read models are rebuilt from the store.
 * 2: the fleet folds deployments' fences (DeploymentFenceAdvanced, and the fence of a DaemonTaskAdopted).
 * 3: a provider's fleet index keeps each service's task tally (FleetIndex.tallies and shares).
 */
export const READ_MODEL_FORMAT = 3;

/** A snapshot of the read models: what folding every event of the store up to `position` gives. */
export interface ReadModelSnapshot {
  /** Global position of the last event folded in. */
  readonly position: number;
  /** That event's id: a snapshot is only taken up on a store whose event at `position` is this one. */
  readonly eventId: string;
  readonly content: ReadModelsContent;
}

interface StoredSnapshot extends ReadModelSnapshot {
  readonly format: number;
  /** The event schema versions the folds read: a new version may fold old events differently. */
  readonly schemas: string;
}

/**
 * The gateway's read models on disk, one file per gateway and event store: `DATA_DIR/projections/`, named after
 * the store (embedded mode: the SQLite file; distributed mode: the JetStream stream), so a gateway never takes up
 * another store's snapshot. Written with V8's structured serialisation (Maps and Sets as they are), to a temporary
 * file renamed over the last one: a crash mid-write leaves the previous snapshot. The snapshot is only a head
 * start: a missing, unreadable or foreign one means the read models are rebuilt from the store, as at a first start.
 */
export class ReadModelSnapshots {
  constructor(readonly path: string) {}

  static of(config: ServiceConfig): ReadModelSnapshots {
    const store = config.natsServers ? `jetstream-${config.eventStreamName}` : 'sqlite-events';
    return new ReadModelSnapshots(join(config.dataDir, 'projections', `api-gateway.${store}.v8`));
  }

  /** The snapshot on disk, if there is one this code can take up. */
  async load(): Promise<ReadModelSnapshot | undefined> {
    let stored: Partial<StoredSnapshot>;
    try {
      stored = deserialize(await readFile(this.path)) as Partial<StoredSnapshot>;
    } catch {
      return undefined;
    }
    if (stored.format !== READ_MODEL_FORMAT || stored.schemas !== schemasFingerprint()) return undefined;
    if (typeof stored.position !== 'number' || typeof stored.eventId !== 'string' || stored.content === undefined) return undefined;
    return { position: stored.position, eventId: stored.eventId, content: stored.content };
  }

  /** Serialises at once (the content may change right after), then writes the file. */
  async save(snapshot: ReadModelSnapshot): Promise<void> {
    const bytes = serialize({ ...snapshot, format: READ_MODEL_FORMAT, schemas: schemasFingerprint() } satisfies StoredSnapshot);
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, this.path);
  }

  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

function schemasFingerprint(): string {
  return JSON.stringify(eventSchemas.versions());
}
