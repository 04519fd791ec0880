import { eventually } from '@daemonfleet/testing';
import { expect } from 'vitest';
import type { FleetWorld } from './fleet-world.js';
import type { Json } from './http-client.js';

/** One answer of DescribeDaemonDeployments, with the version of the deployment's stream it reflected. */
export interface DescribeSample {
  readonly version: number;
  readonly daemonDeployment: Json;
}

/**
 * Polls DescribeDaemonDeployments (GET /v1/deployments/{id}) until the deployment reaches `status`, keeping every
 * answer with the stream version its header names.
 */
export async function sampleDescribe(w: FleetWorld, deploymentId: string, status: string, timeoutMs = 60_000): Promise<DescribeSample[]> {
  const samples: DescribeSample[] = [];
  await eventually(
    async () => {
      const { status: code, body, headers } = await w.client.get(`/v1/deployments/${deploymentId}`);
      expect(code).toBe(200);
      const { daemonDeployment } = body;
      samples.push({ version: Number(headers.get('x-daemonfleet-deployment-version')), daemonDeployment });
      expect(daemonDeployment.status).toBe(status);
    },
    { timeoutMs, intervalMs: 5, what: `deployment ${deploymentId} to be ${status}` },
  );
  return samples;
}

/**
 * The replay API's state at every sampled version is exactly what Describe answered when that version was the
 * deployment's last, versions never went backwards, and the state at the last version is the final answer.
 */
export async function expectStatesAgreeWithSamples(w: FleetWorld, deploymentId: string, samples: readonly DescribeSample[]): Promise<void> {
  const versions = samples.map((s) => s.version);
  expect(versions.every((v, i) => v >= 1 && (i === 0 || v >= versions[i - 1]))).toBe(true);
  const byVersion = new Map(samples.map((s) => [s.version, s.daemonDeployment]));
  for (const [version, described] of byVersion) {
    const { status, body } = await w.client.get(`/v1/deployments/${deploymentId}/state?atVersion=${version}`);
    expect(status).toBe(200);
    expect(body.version).toBe(version);
    expect(body.daemonDeployment, `the state at version ${version}`).toEqual(described);
  }
  const latest = await w.client.get(`/v1/deployments/${deploymentId}/state`);
  const final = await w.deployment(deploymentId);
  expect(latest.body.daemonDeployment).toEqual(final);
  expect(latest.body.version).toBe(Math.max(...versions));
  expect(samples.at(-1)!.daemonDeployment).toEqual(final);
}

/** Every event of the deployment through the replay API, page by page, with the state after each. */
export async function replayedEvents(w: FleetWorld, deploymentId: string, query = 'withState=true&maxResults=7'): Promise<Json[]> {
  const events: Json[] = [];
  let nextToken: string | undefined;
  do {
    const page = await w.client.get(`/v1/deployments/${deploymentId}/events?${query}${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`);
    expect(page.status).toBe(200);
    events.push(...page.body.events);
    nextToken = page.body.nextToken;
  } while (nextToken);
  return events;
}
