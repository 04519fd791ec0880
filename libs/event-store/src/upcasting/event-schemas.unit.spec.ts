import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../event-store.port.js';
import { EventSchemas, InvalidEventSchemaHistoryError } from './event-schemas.js';

/** A made-up history: v1 had `name`, v2 renamed it `title`, v3 added `tags` with a default. */
const schemas = new EventSchemas({
  BookAdded: {
    currentVersion: 3,
    upcasters: {
      1: ({ name, ...rest }: { name: string }) => ({ ...rest, title: name }),
      2: (data: { title: string; tags?: string[] }) => ({ ...data, tags: data.tags ?? [] }),
    },
  },
});

describe('event schemas', () => {
  it('upcasts an event step by step to its type’s current version, and says so in its metadata', () => {
    const upcast = schemas.upcast(recorded('BookAdded', { name: 'Dune' }, 1));
    expect(upcast.data).toEqual({ title: 'Dune', tags: [] });
    expect(upcast.metadata).toEqual({ ...recorded('BookAdded', {}, 1).metadata, schemaVersion: 3 });
    expect(schemas.upcast(recorded('BookAdded', { title: 'Emma', tags: ['novel'] }, 2)).data).toEqual({ title: 'Emma', tags: ['novel'] });
  });

  it('returns an event already at its current version, or of a type with no history, as it is', () => {
    const current = recorded('BookAdded', { title: 'Dune', tags: [] }, 3);
    expect(schemas.upcast(current)).toBe(current);
    const other = recorded('ShelfBuilt', { shelves: 2 }, 1);
    expect(schemas.upcast(other)).toBe(other);
  });

  it('passes an event newer than this code knows on as it was stored', () => {
    const newer = recorded('BookAdded', { title: 'Dune', tags: [], isbn: '0441013597' }, 4);
    expect(schemas.upcast(newer)).toBe(newer);
  });

  it('never changes the stored event it upcasts', () => {
    const stored = recorded('BookAdded', { name: 'Dune' }, 1);
    const copy = structuredClone(stored);
    schemas.upcast(stored);
    expect(stored).toEqual(copy);
  });

  it('knows the version writers stamp: 1 for a type with no history', () => {
    expect(schemas.currentVersion('BookAdded')).toBe(3);
    expect(schemas.currentVersion('ShelfBuilt')).toBe(1);
    expect(schemas.versions()).toEqual({ BookAdded: 3 });
  });

  it('refuses a history with a missing step or a version that is not a whole number from 1', () => {
    expect(() => new EventSchemas({ BookAdded: { currentVersion: 3, upcasters: { 1: (data: object) => data } } })).toThrow(InvalidEventSchemaHistoryError);
    expect(() => new EventSchemas({ BookAdded: { currentVersion: 0, upcasters: {} } })).toThrow(/whole number/);
    expect(() => new EventSchemas({ BookAdded: { currentVersion: 1.5, upcasters: {} } })).toThrow(/whole number/);
  });
});

function recorded(type: string, data: unknown, schemaVersion: number): RecordedEvent {
  return { type, data, metadata: { eventId: 'e-1', occurredAt: '2025-01-01T00:00:00.000Z', correlationId: 'c-1', schemaVersion }, streamId: 'shelf-1', streamVersion: 1, globalPosition: 1 };
}
