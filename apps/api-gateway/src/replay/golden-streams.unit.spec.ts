import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initialDeploymentState, type DeploymentState } from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { eventSchemas } from '@daemonfleet/service-runtime';
import { describe, expect, it } from 'vitest';
import { deploymentProgress } from './deployment-progress.js';
import { foldDeploymentEvent } from './deployment-replay.js';
import { presentDeploymentState } from './replay.presenter.js';

/**
 * Golden streams (style.md example 11, as Temporal replays recorded histories): deployments recorded from a real
 * system (`npm run record:golden-streams`), each with what the gateway answered at its end. Today's code must fold
 * every one, read as the store gives events (upcast to their current schema), to that same answer; a tampered copy
 * must not. A fold that changes what the deployment showed breaks these before it reaches a user's data.
 */
interface Golden {
  readonly description: string;
  readonly tampering?: string;
  readonly events: RecordedEvent[];
  readonly expected: { readonly version: number; readonly daemonDeployment: unknown; readonly progress: unknown };
}

const DIRECTORY = fileURLToPath(new URL('./__fixtures__/golden/', import.meta.url));
const load = (name: string): Golden => JSON.parse(readFileSync(`${DIRECTORY}${name}.json`, 'utf8')) as Golden;

/** Folds as the replay API does: each event upcast as the store's readers get it, then the orchestrator's evolve. */
function fold(events: readonly RecordedEvent[], upcast: (event: RecordedEvent) => RecordedEvent = (event) => eventSchemas.upcast(event)): DeploymentState {
  return events.reduce((state, event) => foldDeploymentEvent(state, upcast(event)), initialDeploymentState());
}

function answerOf(state: DeploymentState) {
  if (state.status === 'NONE') throw new Error('the stream folds to no deployment');
  return { daemonDeployment: presentDeploymentState(state), progress: deploymentProgress(state) };
}

describe('golden deployment streams', () => {
  const names = readdirSync(DIRECTORY)
    .filter((file) => file.endsWith('.json') && !file.includes('.tampered.'))
    .map((file) => file.replace(/\.json$/, ''));

  it('holds one recorded deployment of each ending, and the derived copies', () => {
    expect(names.sort()).toEqual(['alarm-rollback', 'breaker-rollback', 'delete', 'success', 'success.schema-v1', 'superseded']);
  });

  it.each(names)('%s: today’s code folds it to what the gateway answered when it was recorded', (name) => {
    const golden = load(name);
    expect(golden.events.map((e) => e.streamVersion)).toEqual(golden.events.map((_, i) => i + 1));
    expect(answerOf(fold(golden.events))).toEqual({ daemonDeployment: golden.expected.daemonDeployment, progress: golden.expected.progress });
  });

  it('a tampered copy does not fold to the stored answer, and the difference is where it was tampered', () => {
    const tampered = load('breaker-rollback.tampered');
    expect(tampered.tampering).toMatch(/failureCount lowered to 9/);
    const { daemonDeployment } = answerOf(fold(tampered.events));
    expect(daemonDeployment).not.toEqual(tampered.expected.daemonDeployment);
    expect(daemonDeployment.circuitBreaker).toEqual({ failureCount: 9, status: 'MONITORING_COMPLETE', threshold: 10 });
    expect({ ...daemonDeployment, circuitBreaker: undefined }).toEqual({ ...(tampered.expected.daemonDeployment as object), circuitBreaker: undefined });
  });

  it('folds a stream written with DeploymentStarted at schema version 1 to the same deployment as version 2 gives', () => {
    const [v1, v2] = [load('success.schema-v1'), load('success')];
    const started = (golden: Golden) => golden.events.find((e) => e.type === 'DeploymentStarted')!;
    expect(started(v1)).toMatchObject({ metadata: { schemaVersion: 1 } });
    expect(started(v1).data).not.toHaveProperty('timesInAlarmAtStart');
    expect(started(v2)).toMatchObject({ metadata: { schemaVersion: 2 }, data: { timesInAlarmAtStart: {} } });

    expect(fold(v1.events)).toStrictEqual(fold(v2.events));
    // Not vacuous: read without upcasting, the version 1 event folds to another state.
    expect(fold(v1.events, (event) => event)).not.toStrictEqual(fold(v2.events));
  });
});
