import { describe, expect, it } from 'vitest';
import { deployment, timelineEvent } from '../testing/cli-fixtures.js';
import { timelineHeader, timelineLines } from './timeline.js';

describe('timeline lines', () => {
  it('puts an event on one line under the header’s columns: time, version, type, status and counts after it, the sentence', () => {
    const header = timelineHeader();
    const [line] = timelineLines(timelineEvent());
    expect(header).toBe(
      'TIME (UTC)     VER  EVENT                           STATUS AFTER          TARGET R/D  SOURCES R/D  BREAKER  WHAT HAPPENED AND WHY',
    );
    expect(line).toBe(
      '03:04:05.678     7  InstanceDrainsRequested         IN_PROGRESS                  2/0          4/2     3/10  Batch 2 of 3: drain 2 instances and replace each with one running revision 222 (the previous batch is replaced): i-1, i-2.',
    );
    expect(line.indexOf('Batch')).toBe(header.indexOf('WHAT'));
  });

  it('wraps the sentence under its column in a terminal of a given width, and only then', () => {
    const lines = timelineLines(timelineEvent(), 150);
    const column = timelineHeader().indexOf('WHAT');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((line) => line.length <= 150)).toBe(true);
    expect(lines.slice(1).every((line) => line.slice(0, column).trim() === '')).toBe(true);
    expect(lines.map((line, i) => (i === 0 ? line.slice(column) : line.trim())).join(' ')).toBe(timelineEvent().summary);
  });

  it('shows a delete deployment (no target) and one not started (no breaker) with dashes, sources summed', () => {
    const [line] = timelineLines(timelineEvent({ daemonDeployment: deployment({ targetDaemonRevision: undefined, circuitBreaker: undefined, status: 'PENDING' }) }));
    expect(line).toMatch(/PENDING\s+—\s+4\/2\s+—\s+Batch/);
  });
});
