import type { DaemonTaskDefinitionSpec, PlannedDaemonTask } from '@daemonfleet/contracts';
import { evolveFleet, initialFleetState, type FleetState } from '@daemonfleet/domain';
import { describe, expect, it } from 'vitest';
import { BASELINE_CPU_PERCENT, daemonMetricCalls, simulatedCpuPercent, tallyDaemonTasks, type DaemonTally } from './daemon-metrics.js';

describe('the daemons’ metrics', () => {
  it('reports each daemon’s failed starts and the mean CPU of its running tasks, across providers, stamped at the period’s start', () => {
    const tallies = new Map<string, DaemonTally>();
    const cpu = new Map([[agent.daemonTaskDefinitionArn, 90]]);
    tallyDaemonTasks(tallies, fleet([['i-1', agent, true], ['i-2', agent, false], ['i-3', logs, true]]), (arn) => cpu.get(arn) ?? BASELINE_CPU_PERCENT);
    tallyDaemonTasks(tallies, fleet([['i-4', { ...agent, daemonTaskDefinitionArn: `${prefix}:daemon-task-definition/agent:2` }, true]]), (arn) => cpu.get(arn) ?? BASELINE_CPU_PERCENT);

    expect(daemonMetricCalls(tallies, new Map([[agent.daemonArn, 2]]), 1_795_000_000_500)).toEqual([
      {
        scope,
        namespace: 'AWS/ECS',
        metricData: [
          { metricName: 'DaemonTaskStartFailures', dimensions: dimensions('agent'), value: 2, timestamp: 1_795_000_000.5, unit: 'Count' },
          { metricName: 'CPUUtilization', dimensions: dimensions('agent'), value: (90 + 25) / 2, timestamp: 1_795_000_000.5, unit: 'Percent' },
          { metricName: 'DaemonTaskStartFailures', dimensions: dimensions('logs'), value: 0, timestamp: 1_795_000_000.5, unit: 'Count' },
          { metricName: 'CPUUtilization', dimensions: dimensions('logs'), value: 25, timestamp: 1_795_000_000.5, unit: 'Percent' },
        ],
      },
    ]);
  });

  it('reports no CPU for a daemon none of whose tasks runs, and a daemon with failed starts but no task', () => {
    const tallies = new Map<string, DaemonTally>();
    tallyDaemonTasks(tallies, fleet([['i-1', agent, false]]), () => 50);
    const [call] = daemonMetricCalls(tallies, new Map([[logs.daemonArn, 1]]), 0);
    expect(call.metricData.map(({ metricName, dimensions, value }) => [metricName, dimensions?.[1].value, value])).toEqual([
      ['DaemonTaskStartFailures', 'daemon:agent', 0],
      ['DaemonTaskStartFailures', 'daemon:logs', 1],
    ]);
  });

  it('makes one call per account and region, and no more than 1,000 data points a call', () => {
    const failures = new Map<string, number>(Array.from({ length: 1_001 }, (_, n) => [`${prefix}:daemon/prod/d${String(n).padStart(4, '0')}`, 0]));
    failures.set('arn:aws:ecs:eu-west-1:111111111111:daemon/prod/elsewhere', 0);
    expect(daemonMetricCalls(new Map(), failures, 0).map((call) => [call.scope.region, call.metricData.length])).toEqual([
      ['eu-west-1', 1],
      ['us-east-1', 1_000],
      ['us-east-1', 1],
    ]);
  });

  it.each<[string, unknown, number | undefined]>([
    ['a percentage', [{ name: 'DAEMONFLEET_SIMULATED_CPU_PERCENT', value: '92.5' }], 92.5],
    ['0', [{ name: 'DAEMONFLEET_SIMULATED_CPU_PERCENT', value: '0' }], 0],
    ['no such variable', [{ name: 'OTHER', value: '50' }], undefined],
    ['no environment', undefined, undefined],
    ['a value that is no number', [{ name: 'DAEMONFLEET_SIMULATED_CPU_PERCENT', value: 'high' }], undefined],
    ['an empty value', [{ name: 'DAEMONFLEET_SIMULATED_CPU_PERCENT', value: ' ' }], undefined],
    ['more than 100', [{ name: 'DAEMONFLEET_SIMULATED_CPU_PERCENT', value: '150' }], undefined],
  ])('reads the simulated CPU of a task definition from its container environment: %s', (_what, environment, expected) => {
    const definition = { containerDefinitions: [{ name: 'sidecar', image: 'x', essential: false }, { name: 'agent', image: 'y', essential: true, environment }], volumes: [], tags: [] };
    expect(simulatedCpuPercent(definition as DaemonTaskDefinitionSpec)).toBe(expected);
  });
});

// Fixtures last.
const scope = { accountId: '000000000000', region: 'us-east-1' };
const prefix = `arn:aws:ecs:${scope.region}:${scope.accountId}`;
const planned = (name: string): PlannedDaemonTask => ({
  daemonArn: `${prefix}:daemon/prod/${name}`,
  daemonRevisionArn: `${prefix}:daemon-revision/prod/${name}/1`,
  daemonTaskDefinitionArn: `${prefix}:daemon-task-definition/${name}:1`,
  critical: true,
});
const agent = planned('agent');
const logs = planned('logs');
const dimensions = (name: string) => [
  { name: 'ClusterName', value: 'prod' },
  { name: 'ServiceName', value: `daemon:${name}` },
];

/** A provider's fleet, folded from its events: one daemon task on each instance, running or still starting. */
function fleet(tasks: ReadonlyArray<[instanceId: string, daemon: PlannedDaemonTask, running: boolean]>): FleetState {
  const state = initialFleetState();
  for (const [instanceId, daemon, running] of tasks) {
    const taskArn = `${prefix}:task/prod/${instanceId}`;
    evolveFleet(state, {
      type: 'InstanceProvisioningStarted',
      data: { instanceId, containerInstanceArn: `${prefix}:container-instance/prod/${instanceId}`, capacityProviderArn: `${prefix}:capacity-provider/mi`, clusterArn: `${prefix}:cluster/prod`, reason: 'EMULATOR_REQUEST', replacesInstanceId: null, deploymentId: null, daemons: [daemon], startedAt: 0, registersAt: 0 },
    });
    evolveFleet(state, { type: 'DaemonTaskLaunched', data: { instanceId, taskArn, daemon, launchedAt: 0, runsAt: 0 } });
    if (running) evolveFleet(state, { type: 'DaemonTaskStarted', data: { instanceId, taskArn, daemonArn: daemon.daemonArn, startedAt: 0 } });
  }
  return state;
}
