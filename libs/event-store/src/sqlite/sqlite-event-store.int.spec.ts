import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eventually } from '@daemonfleet/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { WrongExpectedVersionError } from '../event-store.errors.js';
import type { RecordedEvent } from '../event-store.port.js';
import { newEvents } from '../testing/contract-fixtures.js';
import { eventStoreContract } from '../testing/event-store.contract.js';
import { SqliteEventStore, openSqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store.js';

const settings = { handlerRetry: { initialDelayMs: 5, maxDelayMs: 50 }, pollIntervalMs: 50 };

/** A real file in a fresh temporary directory (one level deeper than exists, to prove directories are created). */
function temporaryDatabase(): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'daemonfleet-sqlite-'));
  return { path: join(dir, 'data', 'events.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

eventStoreContract('sqlite', async () => {
  const db = temporaryDatabase();
  const open = () => openSqliteEventStore({ path: db.path, ...settings });
  const opened = [open()];
  return {
    store: opened[0],
    reopen: async () => {
      await opened[opened.length - 1].close();
      opened.push(open());
      return opened[opened.length - 1];
    },
    openAnother: async () => {
      opened.push(open());
      return opened[opened.length - 1];
    },
    dispose: async () => {
      await Promise.all(opened.map((store) => store.close()));
      db.remove();
    },
  };
});

describe('SqliteEventStore on its file', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const openOn = (path: string, options: Partial<SqliteEventStoreOptions> = {}): SqliteEventStore => {
    const store = openSqliteEventStore({ path, ...settings, ...options });
    cleanups.push(() => store.close());
    return store;
  };
  const database = (): string => {
    const db = temporaryDatabase();
    cleanups.push(db.remove);
    return db.path;
  };

  it('creates missing directories and keeps the file in WAL mode with a busy timeout', async () => {
    const path = database();
    const store = openOn(path, { busyTimeoutMs: 1234 });
    await store.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'no_stream' });
    const raw = new Database(path, { readonly: true });
    cleanups.push(() => void raw.close());
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT stream_id, stream_version, type FROM events').all()).toEqual([
      { stream_id: 'daemon-a', stream_version: 1, type: 'ThingHappened' },
    ]);
  });

  it('checks the expected version in the database, so a second store on the file cannot be fooled by stale state', async () => {
    const path = database();
    const [first, second] = [openOn(path), openOn(path)];
    await first.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'no_stream' });
    await second.appendToStream('daemon-a', newEvents(1), { expectedVersion: 1 });
    await expect(first.appendToStream('daemon-a', newEvents(1), { expectedVersion: 1 })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect((await first.readStream('daemon-a')).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('wakes subscriptions on appends through another store on the same file by polling', async () => {
    const path = database();
    const [reader, writer] = [openOn(path, { pollIntervalMs: 20 }), openOn(path)];
    const seen: RecordedEvent[] = [];
    const subscription = await reader.subscribe({ name: 'watcher' }, (event) => void seen.push(event));
    cleanups.push(() => subscription.stop());
    await writer.appendToStream('daemon-a', newEvents(2), { expectedVersion: 'no_stream' });
    await eventually(() => expect(seen.map((e) => e.streamVersion)).toEqual([1, 2]), { what: 'the polled appends' });
  });

  it('delivers every event in order when appends of this store and another on the file interleave (its recent appends have gaps)', async () => {
    const path = database();
    const [here, elsewhere] = [openOn(path, { pollIntervalMs: 20 }), openOn(path)];
    const seen: RecordedEvent[] = [];
    const subscription = await here.subscribe({}, (event) => void seen.push(event));
    cleanups.push(() => subscription.stop());
    await here.appendToStream('daemon-a', newEvents(2), { expectedVersion: 'no_stream' });
    await elsewhere.appendToStream('daemon-b', newEvents(1), { expectedVersion: 'no_stream' });
    await here.appendToStream('daemon-a', newEvents(1), { expectedVersion: 2 });
    await elsewhere.appendToStream('daemon-b', newEvents(2), { expectedVersion: 1 });
    await here.appendToStream('daemon-a', newEvents(1), { expectedVersion: 3 });
    const all = await here.readAll();
    expect(all.map((e) => `${e.streamId}@${e.streamVersion}`)).toEqual(['daemon-a@1', 'daemon-a@2', 'daemon-b@1', 'daemon-a@3', 'daemon-b@2', 'daemon-b@3', 'daemon-a@4']);
    await eventually(() => expect(seen).toEqual(all), { what: 'every event, in global order, as SQLite holds it' });
  });

  it('waits for another process holding the write lock instead of failing, within the busy timeout', async () => {
    const path = database();
    const patient = openOn(path, { busyTimeoutMs: 10_000 });
    const impatient = openOn(path, { busyTimeoutMs: 0 });
    const locker = await holdWriteLock(path, 500);
    cleanups.push(() => locker.done);
    await expect(impatient.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'no_stream' })).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    await patient.appendToStream('daemon-a', newEvents(1), { expectedVersion: 'no_stream' });
    await locker.done;
    expect(await patient.readStream('daemon-a')).toHaveLength(1);
  });

  it('refuses a database written by a newer schema version', () => {
    const path = database();
    openOn(path);
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openOn(path)).toThrow(/schema version 99/);
  });
});

/** Another process that takes the database's write lock (BEGIN IMMEDIATE), holds it for `ms`, then lets go. */
async function holdWriteLock(path: string, ms: number): Promise<{ done: Promise<void> }> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `
    const { default: Database } = await import(${JSON.stringify(driver)});
    const db = new Database(${JSON.stringify(path)});
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, ${ms});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited with ${code}`)))),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    done.catch(reject);
  });
  return { done };
}
