import type { DaemonDeployment } from '../http/gateway-api.js';
import { shortArn } from './text.js';

/** One field that differs between two versions of a deployment. */
export interface FieldChange {
  /** `circuitBreaker.failureCount`, `targetDaemonRevision.capacityProviders[prod-mi].drainingInstanceCount`, … */
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
}

/**
 * What changed between two answers of DescribeDaemonDeployments, field by field. Lists whose members carry an
 * `arn` (revisions, providers) are matched by it, named by its last part, so a member that moved in the list is
 * not reported as changed; other lists compare by position.
 */
export function diffDeployments(a: DaemonDeployment, b: DaemonDeployment): FieldChange[] {
  const changes: FieldChange[] = [];
  walk(a, b, '', changes);
  return changes;
}

function walk(a: unknown, b: unknown, path: string, changes: FieldChange[]): void {
  if (Array.isArray(a) && Array.isArray(b)) return walkList(a, b, path, changes);
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) walk(a[key], b[key], path === '' ? key : `${path}.${key}`, changes);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) changes.push({ path, from: a, to: b });
}

function walkList(a: unknown[], b: unknown[], path: string, changes: FieldChange[]): void {
  const byArn = (list: unknown[]) => (list.every((item) => isObject(item) && typeof item.arn === 'string') ? new Map(list.map((item) => [(item as { arn: string }).arn, item])) : undefined);
  const [left, right] = [byArn(a), byArn(b)];
  if (left && right) {
    for (const arn of [...new Set([...left.keys(), ...right.keys()])]) walk(left.get(arn), right.get(arn), `${path}[${shortArn(arn)}]`, changes);
    return;
  }
  for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, changes);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value as the diff prints it: absent fields say so, long texts stay whole (they are the reasons). */
export function diffValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
