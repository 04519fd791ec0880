import type { DaemonDeployment, TimelineEvent } from '../http/gateway-api.js';
import { cell, clock, wrap } from './text.js';

/** The columns of a timeline line: fixed widths, so lines printed one by one (watch) stay aligned. */
const COLUMNS = [
  { title: 'TIME (UTC)', width: 12 },
  { title: 'VER', width: 4, align: 'right' },
  { title: 'EVENT', width: 30 },
  { title: 'STATUS AFTER', width: 20 },
  { title: 'TARGET R/D', width: 10, align: 'right' },
  { title: 'SOURCES R/D', width: 11, align: 'right' },
  { title: 'BREAKER', width: 7, align: 'right' },
] as const;

const GAP = '  ';
/** Where WHAT HAPPENED starts: continuation lines of a wrapped sentence are indented to it. */
const SUMMARY_COLUMN = COLUMNS.reduce((sum, c) => sum + c.width + GAP.length, 0);

export const TIMELINE_LEGEND =
  'R/D: instances running / draining the target revision (TARGET) or every other revision (SOURCES) after the event; BREAKER: failed starts / threshold.';

export function timelineHeader(): string {
  return [...COLUMNS.map((c) => cell(c.title, c.width, 'align' in c ? c.align : 'left')), 'WHAT HAPPENED AND WHY'].join(GAP);
}

/**
 * One event as a line: when, which version, what type, the status and counts after it, and the sentence saying
 * what happened and why. `width` (a terminal's) wraps the sentence under its column; without one it stays on the
 * line, so each event is exactly one line (for grep and pipes).
 */
export function timelineLines(event: TimelineEvent, width?: number): string[] {
  const after = event.daemonDeployment;
  const values = [clock(event.occurredAt), String(event.version), event.type, after?.status ?? '', targetCounts(after), sourceCounts(after), breaker(after)];
  const prefix = COLUMNS.map((c, i) => cell(values[i], c.width, 'align' in c ? c.align : 'left')).join(GAP) + GAP;
  const [first, ...rest] = width === undefined ? [event.summary] : wrap(event.summary, Math.max(20, width - SUMMARY_COLUMN));
  return [`${prefix}${first}`, ...rest.map((line) => `${' '.repeat(SUMMARY_COLUMN)}${line}`)];
}

function targetCounts(deployment: DaemonDeployment | undefined): string {
  const target = deployment?.targetDaemonRevision;
  return target ? `${target.totalRunningInstanceCount}/${target.totalDrainingInstanceCount}` : '—';
}

function sourceCounts(deployment: DaemonDeployment | undefined): string {
  if (!deployment) return '';
  const sum = (pick: (r: DaemonDeployment['sourceDaemonRevisions'][number]) => number) => deployment.sourceDaemonRevisions.reduce((n, r) => n + pick(r), 0);
  return `${sum((r) => r.totalRunningInstanceCount)}/${sum((r) => r.totalDrainingInstanceCount)}`;
}

function breaker(deployment: DaemonDeployment | undefined): string {
  const cb = deployment?.circuitBreaker;
  return cb ? `${cb.failureCount}/${cb.threshold}` : '—';
}
