import { createHash } from 'node:crypto';

/**
 * A digest of a request's parameters, independent of key order, so a retried CreateDaemon with the same
 * clientToken can be told apart from a different request reusing the token (decision 9).
 */
export function requestFingerprint(parameters: unknown): string {
  return createHash('sha256').update(canonicalJson(parameters)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The simulated registry resolves every image to a stable digest derived from its name (spec 1.7). */
export function imageDigest(image: string): string {
  return `sha256:${createHash('sha256').update(image).digest('hex')}`;
}
