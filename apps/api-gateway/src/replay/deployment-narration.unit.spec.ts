import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DeploymentEvent } from '@daemonfleet/contracts';
import { initialDeploymentState, type DeploymentState } from '@daemonfleet/domain';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { eventSchemas } from '@daemonfleet/service-runtime';
import { describe, expect, it } from 'vitest';
import { narrateDeploymentEvent } from './deployment-narration.js';
import { foldDeploymentEvent } from './deployment-replay.js';

/**
 * The sentences of a timeline, over the golden streams (deployments recorded from a real system): each says what
 * happened and why in words a person who never saw the code reads, without ids of the code's own making (ARNs are
 * cut to the revision or deployment they name) or placeholders.
 */
const load = (name: string) =>
  (JSON.parse(readFileSync(fileURLToPath(new URL(`./__fixtures__/golden/${name}.json`, import.meta.url)), 'utf8')) as { events: RecordedEvent[] }).events;

function narrate(name: string): { type: string; sentence: string }[] {
  let state: DeploymentState = initialDeploymentState();
  return load(name).map((recorded) => {
    const event = eventSchemas.upcast(recorded);
    const before = state;
    state = foldDeploymentEvent(state, event);
    return { type: event.type, sentence: narrateDeploymentEvent(event as unknown as DeploymentEvent, before, state) };
  });
}

describe('deployment narration', () => {
  it.each(['success', 'breaker-rollback', 'alarm-rollback', 'superseded', 'delete'])('%s: one sentence per event, whole and plain', (name) => {
    for (const { type, sentence } of narrate(name)) {
      expect(sentence, type).toMatch(/^[A-Z].*[.)]$/);
      expect(sentence, type).not.toMatch(/undefined|NaN|\[object|arn:aws:|null/);
    }
  });

  it('tells a breaker rollback as it happened: the start, the failures against the threshold, the stop and why, the rollback', () => {
    const lines = narrate('breaker-rollback').map(({ sentence }) => sentence);
    expect(lines[0]).toMatch(/^Created to roll out revision \d+ \(golden-breaker-agent:2, critical\) on golden-breaker-mi: replacing revision \d+; drainPercent 50, bake 0 min, no alarms\.$/);
    expect(lines[1]).toBe('Started: 4 instances to replace, at most 2 at a time (2 batches); the circuit breaker trips at 10 failed starts.');
    expect(lines[2]).toMatch(/^Batch 1 of 2: drain 2 instances and replace each with one running revision \d+ \(the first batch\): i-\w+, i-\w+\.$/);
    expect(lines[3]).toMatch(/^Counts moved as the fleet changed: revision \d+ draining 0 → 2\.$/);
    expect(lines.slice(4, 9)).toEqual(lines.slice(4, 9).map((_, i) => expect.stringMatching(new RegExp(`^Circuit breaker: ${2 * (i + 1)} failed starts of the target revision on this deployment’s replacements \\(\\+2\\), tripping at 10\\.$`))));
    expect(lines[9]).toBe('Stop requested, no further batch: The circuit breaker stopped the deployment: 10 daemon task starts of the target revision failed (threshold 10).');
    expect(lines[10]).toMatch(/^Rollback started towards revision \d+ on golden-breaker-mi, at most 2 at a time: The circuit breaker initiated the rollback: 10 daemon task starts of the target revision failed \(threshold 10\)\.$/);
    expect(lines[12]).toMatch(/^Batch 1 done: each drained instance is gone and its replacement runs revision \d+: i-\w+ → i-\w+, i-\w+ → i-\w+\.$/);
    expect(lines[13]).toMatch(/^Rolled back: The circuit breaker stopped the deployment: 10 daemon task starts of the target revision failed \(threshold 10\)\. Rolled back: every instance in scope runs revision \d+ again\.$/);
  });

  it('tells an alarm rollback and a supersession by why they stopped', () => {
    const alarm = narrate('alarm-rollback');
    expect(alarm.find((e) => e.type === 'DeploymentBakeStarted')?.sentence).toMatch(/^Every instance is done: baking 5 min \([\d.]+ s of wall time\) before success, alarms still watched\.$/);
    expect(alarm.find((e) => e.type === 'DeploymentAlarmsTriggered')?.sentence).toBe("Alarm 'golden-alarm-manual' went into ALARM while watched.");
    expect(alarm.find((e) => e.type === 'DeploymentStopRequested')?.sentence).toMatch(/^Stop requested, no further batch: .*golden-alarm-manual/);
    expect(narrate('superseded').at(-1)?.sentence).toMatch(/^Stopped: .*(newer|superseded|replaced)/i);
  });

  it('says "it" of a batch of one instance, and what a delete does', () => {
    const deletion = narrate('delete');
    expect(deletion[0].sentence).toBe('Created by DeleteDaemon: drain the daemon off every instance that runs it, 50% at a time.');
    expect(deletion.at(-1)?.sentence).toBe('Succeeded: the daemon runs on no instance any more, and is removed.');
    const [created, started] = load('success');
    const state = [created, started].reduce((s: DeploymentState, e) => foldDeploymentEvent(s, eventSchemas.upcast(e)), initialDeploymentState());
    const one = { type: 'InstanceDrainsRequested', data: { batch: 1, instances: [{ instanceId: 'i-0abc', capacityProviderArn: 'x' }], requestedAt: 0 } } as DeploymentEvent;
    expect(narrateDeploymentEvent(one, state, foldDeploymentEvent(state, one as unknown as RecordedEvent))).toMatch(/^Batch 1 of 2: drain 1 instance and replace it with one running revision \d+ \(the first batch\): i-0abc\.$/);
  });
});
