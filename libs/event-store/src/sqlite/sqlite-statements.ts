import type { Database, Statement } from 'better-sqlite3';
import type { AppendResult, ExpectedVersion, RecordedEvent } from '../event-store.port.js';
import type { CategorySet } from '../shared/event-filter.js';
import type { PolledBatch } from '../shared/polling-subscription.js';
import { assertExpectedVersion } from '../shared/append-options.js';

/**
 * A row of `events` as the read statements return it: an array of the COLUMNS in order (better-sqlite3's raw mode),
 * not an object per row; on a replay of 100,000 events that object is a fifth of the read's cost.
 */
type EventRow = [globalPosition: number, streamId: string, streamVersion: number, type: string, data: string | null, metadata: string];

const COLUMNS = 'global_position, stream_id, stream_version, type, data, metadata';

/** The prepared statements of the SQLite adapter (prepared once per connection), and the append transaction. */
export class SqliteStatements {
  private readonly streamVersion: Statement<[string], { version: number }>;
  private readonly findAppend: Statement<[string], AppendResult>;
  private readonly insertEvent: Statement<{ streamId: string; version: number; category: string; json: string }>;
  private readonly insertAppend: Statement<[string, string, number, number]>;
  private readonly selectStream: Statement<[string, number, number], EventRow>;
  private readonly selectAll: Statement<[number, number], EventRow>;
  private readonly selectAllOf: Statement<[number, string, number], EventRow>;
  private readonly selectHead: Statement<[], { head: number }>;
  private readonly selectCheckpoint: Statement<[string], { position: number }>;
  private readonly upsertCheckpoint: Statement<[string, number]>;
  /**
   * Runs in an IMMEDIATE transaction: the write lock is taken before the version is read, never upgraded later.
   * `inserted` is false when the append id names an earlier append, whose result it answers.
   */
  readonly append: (
    streamId: string,
    category: string,
    serialised: readonly string[],
    expectedVersion: ExpectedVersion,
    appendId: string | undefined,
  ) => { readonly result: AppendResult; readonly inserted: boolean };

  constructor(db: Database) {
    this.streamVersion = db.prepare('SELECT COALESCE(MAX(stream_version), 0) AS version FROM events WHERE stream_id = ?');
    this.findAppend = db.prepare(
      'SELECT stream_version AS streamVersion, global_position AS globalPosition FROM appends WHERE append_id = ?',
    );
    // The serialised event is split by SQLite itself: `->` yields JSON text, `->>` the SQL text of the type.
    this.insertEvent = db.prepare(
      `INSERT INTO events (stream_id, stream_version, category, type, data, metadata)
       VALUES (@streamId, @version, @category, @json ->> '$.type', @json -> '$.data', @json -> '$.metadata')`,
    );
    this.insertAppend = db.prepare('INSERT INTO appends (append_id, stream_id, stream_version, global_position) VALUES (?, ?, ?, ?)');
    this.selectStream = db
      .prepare<[string, number, number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?`)
      .raw(true);
    this.selectAll = db.prepare<[number, number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE global_position >= ? ORDER BY global_position LIMIT ?`).raw(true);
    this.selectAllOf = db
      .prepare<[number, string, number], EventRow>(
        `SELECT ${COLUMNS} FROM events
       WHERE global_position >= ? AND category IN (SELECT value FROM json_each(?))
       ORDER BY global_position LIMIT ?`,
      )
      .raw(true);
    this.selectHead = db.prepare('SELECT COALESCE(MAX(global_position), 0) AS head FROM events');
    this.selectCheckpoint = db.prepare('SELECT global_position AS position FROM checkpoints WHERE subscription_name = ?');
    this.upsertCheckpoint = db.prepare(
      `INSERT INTO checkpoints (subscription_name, global_position) VALUES (?, ?)
       ON CONFLICT (subscription_name) DO UPDATE SET global_position = MAX(global_position, excluded.global_position)`,
    );

    const appendTransaction = db.transaction(
      (streamId: string, category: string, serialised: readonly string[], expectedVersion: ExpectedVersion, appendId: string | undefined) => {
        const earlier = appendId === undefined ? undefined : this.findAppend.get(appendId);
        if (earlier) return { result: earlier, inserted: false };
        const actual = this.streamVersion.get(streamId)?.version ?? 0;
        assertExpectedVersion(streamId, expectedVersion, actual);
        let globalPosition = 0;
        serialised.forEach((json, i) => {
          globalPosition = Number(this.insertEvent.run({ streamId, version: actual + i + 1, category, json }).lastInsertRowid);
        });
        const result: AppendResult = { streamVersion: actual + serialised.length, globalPosition };
        if (appendId !== undefined) this.insertAppend.run(appendId, streamId, result.streamVersion, result.globalPosition);
        return { result, inserted: true };
      },
    );
    this.append = (...args) => appendTransaction.immediate(...args);
  }

  readStream(streamId: string, fromVersion: number, maxCount: number): RecordedEvent[] {
    return this.selectStream.all(streamId, fromVersion, sqlLimit(maxCount)).map(decode);
  }

  readAll(fromPosition: number, maxCount: number, categories: CategorySet): RecordedEvent[] {
    const rows = categories
      ? this.selectAllOf.all(fromPosition, JSON.stringify([...categories]), sqlLimit(maxCount))
      : this.selectAll.all(fromPosition, sqlLimit(maxCount));
    return rows.map(decode);
  }

  /**
   * A subscription's read: the head is read first, so every position up to it was committed before the events are
   * read (appends commit in position order, one writer at a time), and the read saw them all.
   */
  poll(fromPosition: number, maxCount: number, categories: CategorySet): PolledBatch {
    const head = this.headPosition();
    const events = this.readAll(fromPosition, maxCount, categories);
    const last = events.length === 0 ? 0 : events[events.length - 1].globalPosition;
    return { events, scannedTo: events.length === maxCount ? last : Math.max(head, last) };
  }

  headPosition(): number {
    return this.selectHead.get()?.head ?? 0;
  }

  loadCheckpoint(name: string): number | undefined {
    return this.selectCheckpoint.get(name)?.position;
  }

  saveCheckpoint(name: string, position: number): void {
    this.upsertCheckpoint.run(name, position);
  }
}

/** SQLite's LIMIT takes -1 for "no limit". */
function sqlLimit(maxCount: number): number {
  return Number.isFinite(maxCount) ? maxCount : -1;
}

/** The event as stored (recordedEvent's shape, built in one step): `data` NULL is `undefined` again. */
function decode([globalPosition, streamId, streamVersion, type, data, metadata]: EventRow): RecordedEvent {
  return { type, data: data === null ? undefined : JSON.parse(data), metadata: JSON.parse(metadata) as RecordedEvent['metadata'], streamId, streamVersion, globalPosition };
}
