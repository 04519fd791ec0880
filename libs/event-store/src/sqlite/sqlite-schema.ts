import type { Database } from 'better-sqlite3';

/** Bumped whenever the schema below changes; a database written by a newer version is refused, not guessed at. */
export const SCHEMA_VERSION = 1;

/**
 * - `events.global_position` is an AUTOINCREMENT rowid: positions strictly increase in commit order and are
 *   never reused. Appends run in IMMEDIATE transactions, so even writers in other processes commit one at a time.
 * - `UNIQUE (stream_id, stream_version)` is the last line of defence for optimistic concurrency, and its index
 *   answers "what version is this stream at" without a scan.
 * - `data` and `metadata` hold JSON text; `data` is NULL when the event's data was `undefined` (JSON has no
 *   such value), and reads as `undefined` again.
 * - `appends` remembers the result of every append made with an id, so a retried append returns it.
 * - `checkpoints` holds the last position each durable subscription has handled.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS events (
  global_position INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id       TEXT    NOT NULL,
  stream_version  INTEGER NOT NULL,
  category        TEXT    NOT NULL,
  type            TEXT    NOT NULL,
  data            TEXT,
  metadata        TEXT    NOT NULL,
  UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS events_by_category ON events (category, global_position);
CREATE TABLE IF NOT EXISTS appends (
  append_id       TEXT    PRIMARY KEY,
  stream_id       TEXT    NOT NULL,
  stream_version  INTEGER NOT NULL,
  global_position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
  subscription_name TEXT    PRIMARY KEY,
  global_position   INTEGER NOT NULL
) WITHOUT ROWID;
`;

export function prepareDatabase(db: Database, busyTimeoutMs: number): void {
  // The busy timeout comes first: switching to WAL itself needs a lock another process may hold.
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma('journal_mode = WAL');
  // FULL: a committed append survives a power cut, not only a process crash. Control decisions rest on it.
  db.pragma('synchronous = FULL');
  db.transaction(() => {
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > SCHEMA_VERSION)
      throw new Error(`event store database has schema version ${found}; this code knows version ${SCHEMA_VERSION} at most`);
    db.exec(DDL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
