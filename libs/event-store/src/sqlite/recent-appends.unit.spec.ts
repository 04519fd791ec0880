import { describe, expect, it } from 'vitest';
import { RecentAppends } from './recent-appends.js';

/** The window of this process's last appends that its subscriptions read from before asking SQLite. */
describe('RecentAppends', () => {
  const json = (type: string, data?: unknown) => JSON.stringify({ type, data, metadata: { eventId: `${type}-id` } });
  const positionsOf = (batch: { events: { globalPosition: number }[] } | undefined) => batch?.events.map((e) => e.globalPosition);

  it('answers the events appended, in order, with their stream versions and positions, filtered by category', () => {
    const recent = new RecentAppends(100);
    recent.record('daemon-a', 1, 2, [json('A1', { n: 1 }), json('A2')]);
    recent.record('cluster-b', 4, 3, [json('B4')]);

    expect(recent.poll(1, 10, undefined)?.events).toEqual([
      { type: 'A1', data: { n: 1 }, metadata: { eventId: 'A1-id' }, streamId: 'daemon-a', streamVersion: 1, globalPosition: 1 },
      { type: 'A2', data: undefined, metadata: { eventId: 'A2-id' }, streamId: 'daemon-a', streamVersion: 2, globalPosition: 2 },
      { type: 'B4', data: undefined, metadata: { eventId: 'B4-id' }, streamId: 'cluster-b', streamVersion: 4, globalPosition: 3 },
    ]);
    expect(positionsOf(recent.poll(2, 10, new Set(['cluster'])))).toEqual([3]);
    expect(positionsOf(recent.poll(1, 2, undefined))).toEqual([1, 2]);
  });

  it('says how far it looked: to the window end, or to the last event when the batch is full', () => {
    const recent = new RecentAppends(100);
    recent.record('daemon-a', 1, 3, [json('A1'), json('A2'), json('A3')]);
    expect(recent.poll(1, 10, new Set(['cluster']))).toEqual({ events: [], scannedTo: 3 });
    expect(recent.poll(1, 2, undefined)?.scannedTo).toBe(2);
  });

  it('leaves to SQLite a read that starts before the window or after its end', () => {
    const recent = new RecentAppends(100);
    recent.record('daemon-a', 5, 11, [json('A5'), json('A6')]);
    expect(recent.poll(9, 10, undefined)).toBeUndefined();
    expect(recent.poll(12, 10, undefined)).toBeUndefined();
    expect(positionsOf(recent.poll(10, 10, undefined))).toEqual([10, 11]);
  });

  it('starts afresh after an append by another process (a gap in positions), so the window never skips an event', () => {
    const recent = new RecentAppends(100);
    recent.record('daemon-a', 1, 2, [json('A1'), json('A2')]);
    // Position 3 was written by another process: the window restarts at 4.
    recent.record('daemon-a', 4, 4, [json('A4')]);
    expect(recent.poll(2, 10, undefined)).toBeUndefined();
    expect(recent.poll(3, 10, undefined)).toBeUndefined();
    expect(positionsOf(recent.poll(4, 10, undefined))).toEqual([4]);
  });

  it('keeps at most its capacity, dropping the oldest', () => {
    const recent = new RecentAppends(8);
    for (let position = 1; position <= 20; position++) recent.record('daemon-a', position, position, [json(`A${position}`)]);
    expect(recent.poll(12, 100, undefined)).toBeUndefined();
    expect(positionsOf(recent.poll(15, 100, undefined))).toEqual([15, 16, 17, 18, 19, 20]);
  });

  it('decodes on every read: no reader gets an object another reader holds', () => {
    const recent = new RecentAppends(10);
    recent.record('daemon-a', 1, 1, [json('A1', { n: 1 })]);
    const [first] = recent.poll(1, 1, undefined)!.events;
    (first.data as { n: number }).n = 99;
    expect(recent.poll(1, 1, undefined)!.events[0].data).toEqual({ n: 1 });
  });
});
