import type { RecordedEvent } from '../event-store.port.js';

/**
 * Turns the data of an event of schema version k into the data of version k + 1. Pure; never mutates its input.
 * Typed `never` in, so a step written for its own data types (`(data: V1) => V2`) fits.
 */
export type Upcaster = (data: never) => unknown;

/**
 * The schema history of one event type: its current version, and for each older version k the step to k + 1.
 * A type no history names is at version 1.
 */
export interface EventSchemaHistory {
  readonly currentVersion: number;
  readonly upcasters: Readonly<Record<number, Upcaster>>;
}

export type EventSchemaHistories = Readonly<Record<string, EventSchemaHistory>>;

export class InvalidEventSchemaHistoryError extends Error {}

/**
 * The event schema versions of a system (architecture section 3: old versions are upcast on read, never
 * rewritten). Writers stamp `currentVersion(type)` on each new event's metadata; readers see every event at its
 * type's current version: an event of version k goes through the steps k → k + 1 → … → current, and its
 * `metadata.schemaVersion` then says the version its data now has.
 * An event newer than this code knows (written by a newer release during a rolling upgrade) is passed on as
 * stored: the steps only go upwards, and a reader of an additive change can read the newer data.
 * Invariant, checked at construction: every type has a step from each version below its current one.
 */
export class EventSchemas {
  private readonly histories = new Map<string, EventSchemaHistory>();

  constructor(histories: EventSchemaHistories = {}) {
    for (const [type, history] of Object.entries(histories)) {
      const { currentVersion, upcasters } = history;
      if (!Number.isSafeInteger(currentVersion) || currentVersion < 1)
        throw new InvalidEventSchemaHistoryError(`${type}: the current schema version must be a whole number from 1, not ${currentVersion}`);
      for (let version = 1; version < currentVersion; version++)
        if (typeof upcasters[version] !== 'function') throw new InvalidEventSchemaHistoryError(`${type}: no upcaster from version ${version} to ${version + 1}`);
      this.histories.set(type, history);
    }
  }

  currentVersion(type: string): number {
    return this.histories.get(type)?.currentVersion ?? 1;
  }

  /** The current version of every type that has a history (the others are at 1). */
  versions(): Record<string, number> {
    return Object.fromEntries([...this.histories].map(([type, history]) => [type, history.currentVersion]));
  }

  /** The event at its type's current schema version: the same object when it already is (the common case, kept cheap). */
  upcast<Event extends RecordedEvent>(event: Event): Event {
    const history = this.histories.get(event.type);
    const stored = event.metadata.schemaVersion;
    if (history === undefined || stored >= history.currentVersion) return event;
    let data: unknown = event.data;
    // Events stored without a version (none are: the port requires one) are taken as version 1.
    for (let version = Math.max(1, stored); version < history.currentVersion; version++) data = history.upcasters[version](data as never);
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: history.currentVersion } };
  }
}
