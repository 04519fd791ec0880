import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './testing/cli-process.js';
import type { ProcessRun } from './testing/run-process.js';
import { embeddedSuite } from './testing/embedded-suite.js';
import { FleetWorld } from './testing/fleet-world.js';
import { jsonClient, type Json } from './testing/http-client.js';
import { replayedEvents } from './testing/replay-checks.js';

/**
 * The command line (apps/cli), run as its own process against a real gateway: it watches a deployment that rolls
 * back live, then replays its timeline, one version, its versions step by step, and the difference of two.
 */
describe('the daemonfleet command line against a running system', () => {
  const suite = embeddedSuite('daemonfleet-cli-', { TIME_SCALE: '600', RESYNC_INTERVAL_MS: '100' });
  let w: FleetWorld;
  let deploymentId: string;
  let events: Json[];
  let watched: ProcessRun;
  const cli = (...args: string[]) => runCli([...args, '--url', suite.system.url]);

  beforeAll(async () => {
    w = new FleetWorld(jsonClient(suite.system.url), suite.system.eventStore, 'cli');
    await w.create();
    await w.service('web', 6);
    const first = await w.createDaemon('agent', { daemonTaskDefinitionArn: 'cli-agent:1', capacityProviderArns: [w.provider()], deploymentConfiguration: { drainPercent: 50 } });
    await w.watch(first.deploymentId, 'SUCCESSFUL');
    const fault = await w.fault(2, 1);
    const update = await w.updateDaemon('agent', { daemonTaskDefinitionArn: 'cli-agent:2', capacityProviderArns: [w.provider()], deploymentConfiguration: { drainPercent: 50 } });
    deploymentId = update.deploymentId;
    // Watched from its start: the command line follows it live to its end.
    watched = await cli('watch', deploymentId);
    await w.removeFault(fault);
    events = await replayedEvents(w, deploymentId, 'withState=true&maxResults=100');
  }, 120_000);

  it('watches a deployment live to its end: a line per event, the progress, and exit status 3 for a rollback', () => {
    expect(watched.stderr).toBe('');
    expect(watched.code).toBe(3);
    const lines = watched.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Watching deployment ${deploymentId} (Ctrl-C to stop watching; the deployment goes on).`);
    for (const event of events) expect(lines.some((line) => line.includes(` ${event.type} `) && line.endsWith(event.summary))).toBe(true);
    expect(lines.filter((line) => line.startsWith('['))).toContainEqual(expect.stringMatching(/^\[#+\] ROLLBACK_SUCCESSFUL \(finished\) · batches \d+\/2 done · 6 on revision \d+ \(6 in scope\) · failures \d+\/10$/));
    expect(lines.at(-1)).toBe('Finished: ROLLBACK_SUCCESSFUL');
  });

  it('prints the timeline: one line per event with the time, version, type, status and counts after it, and what happened and why', async () => {
    const { code, stdout, stderr } = await cli('replay', deploymentId);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Deployment ${deploymentId} of daemon agent in cluster cli \\(arn:aws:ecs:us-east-1:000000000000:daemon-deployment/cli/agent/${deploymentId}\\)$`));
    expect(lines[1]).toMatch(new RegExp(`^ROLLBACK_SUCCESSFUL after ${events.length} events\\. The circuit breaker stopped the deployment: `));
    const header = lines.findIndex((line) => line.startsWith('TIME (UTC)'));
    expect(lines[header]).toMatch(/^TIME \(UTC\)\s+VER\s+EVENT\s+STATUS AFTER\s+TARGET R\/D\s+SOURCES R\/D\s+BREAKER\s+WHAT HAPPENED AND WHY$/);
    const rows = lines.slice(header + 1, header + 1 + events.length);
    rows.forEach((row, i) => {
      const event = events[i];
      const target = event.daemonDeployment.targetDaemonRevision;
      const counts = `${target.totalRunningInstanceCount}/${target.totalDrainingInstanceCount}`;
      expect(row).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\s+${event.version}\\s+${event.type}\\s+${event.daemonDeployment.status}\\s+${counts}\\s`));
      expect(row.endsWith(`  ${event.summary}`)).toBe(true);
    });
    expect(rows.find((row) => / DeploymentRollbackStarted /.test(row))).toMatch(/Rollback started towards revision \d+ on cli-mi, at most 3 at a time: The circuit breaker initiated the rollback: \d+ daemon task starts of the target revision failed \(threshold 10\)\.$/);
    expect(lines.at(-1)).toMatch(/^R\/D: instances running \/ draining/);

    const filtered = await cli('replay', deploymentId, '--type', 'DeploymentStopRequested', '--type', 'DeploymentRolledBack');
    expect(filtered.stdout.split('\n').filter((line) => /^\d\d:/.test(line)).map((line) => line.split(/\s+/)[2])).toEqual(['DeploymentStopRequested', 'DeploymentRolledBack']);
  });

  it('prints the deployment at a version, as DescribeDaemonDeployments answered then', async () => {
    const stop = events.find((e) => e.type === 'DeploymentStopRequested');
    const { code, stdout } = await cli('replay', deploymentId, '--at', String(stop.version));
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Deployment ${deploymentId} at version ${stop.version} of ${events.length}: DeploymentStopRequested at \\d\\d:\\d\\d:\\d\\d\\.\\d{3} UTC$`));
    expect(lines[1]).toBe(`  ${stop.summary}`);
    expect(lines).toContain(`Status    ${stop.daemonDeployment.status}`);
    expect(lines).toContain(`Breaker   ${stop.daemonDeployment.circuitBreaker.failureCount} of 10 failed starts (TRIGGERED)`);
  });

  it('walks the versions forward and back with key presses', async () => {
    const { code, stdout } = await runCli(['replay', deploymentId, '--step', '--url', suite.system.url], { input: 'nnp q' });
    expect(code).toBe(0);
    const shown = [...stdout.matchAll(/^Deployment \S+ at version (\d+) of (\d+): (\w+)/gm)].map((m) => [Number(m[1]), Number(m[2]), m[3]]);
    expect(shown).toEqual([1, 2, 3, 2, 3].map((v) => [v, events.length, events[v - 1].type]));
  });

  it('shows what changed between two versions, and the events in between', async () => {
    const last = events.length;
    const { code, stdout } = await cli('diff', deploymentId, '2', String(last));
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`Deployment ${deploymentId}: version 2 (DeploymentStarted) → version ${last} (DeploymentRolledBack)`);
    expect(lines.filter((line) => /^\d\d:/.test(line))).toHaveLength(last - 2);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}status\s+IN_PROGRESS → ROLLBACK_SUCCESSFUL$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}circuitBreaker\.status\s+MONITORING → TRIGGERED$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}rollback\s+\(absent\) → \{"reason":"The circuit breaker initiated the rollback/));
  });

  it('says what is wrong: an unknown deployment, a wrong command line, a gateway that does not answer', async () => {
    expect(await cli('replay', 'AAAAAAAAAAAAAAAA')).toMatchObject({ code: 1, stderr: 'daemonfleet: ClientException: Daemon deployment not found: AAAAAAAAAAAAAAAA\n' });
    expect(await cli('diff', deploymentId, '2')).toMatchObject({ code: 2, stderr: expect.stringContaining('diff needs a deployment id and two versions') });
    expect(await runCli(['replay', deploymentId, '--url', 'http://127.0.0.1:1'])).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot reach the gateway at http://127.0.0.1:1') });
  });

  it('runs with npx from the repository', async () => {
    const { code, stdout } = await runCli(['daemonfleet', '--help'], { command: ['npx', '--no-install'] });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^daemonfleet: replay and follow daemon deployments/);
  });
});
