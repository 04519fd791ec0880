import type { DaemonTaskDefinitionSpec, EpochMillis, MetricDatumDto, Scope } from '@daemonfleet/contracts';
import { parseEcsArn, type FleetState } from '@daemonfleet/domain';

/**
 * The metrics the simulated fleet publishes for each daemon, as ECS does for Managed Daemons (spec 1.9): namespace
 * AWS/ECS, dimensions ClusterName and ServiceName = daemon:<name>.
 * - DaemonTaskStartFailures (Count, read with Sum): daemon task starts that failed in the period (DaemonTaskFailedToStart).
 * - CPUUtilization (Percent, read with Average): the mean simulated CPU of the daemon's RUNNING tasks at the period's
 *   end; none while no task runs. A task's CPU is its task definition's DAEMONFLEET_SIMULATED_CPU_PERCENT (see
 *   `simulatedCpuPercent`), else BASELINE_CPU_PERCENT.
 */
export const DAEMON_METRICS_NAMESPACE = 'AWS/ECS';
export const BASELINE_CPU_PERCENT = 25;
/** The container environment variable a daemon task definition sets to drive its tasks' simulated CPU. */
export const SIMULATED_CPU_VARIABLE = 'DAEMONFLEET_SIMULATED_CPU_PERCENT';
/** CloudWatch takes at most this many data points per PutMetricData. */
const MAX_DATA_PER_CALL = 1_000;

/** Running daemon tasks of one daemon, across the providers. */
export interface DaemonTally {
  running: number;
  cpuTotal: number;
}

/** Adds the daemon tasks of one provider's fleet to the tallies, by daemon ARN. Reads the fleet, never changes it. */
export function tallyDaemonTasks(tallies: Map<string, DaemonTally>, fleet: FleetState, cpuOf: (daemonTaskDefinitionArn: string) => number): void {
  for (const instance of fleet.instances.values()) {
    for (const task of instance.daemonTasks.values()) {
      const tally = tallies.get(task.daemon.daemonArn) ?? { running: 0, cpuTotal: 0 };
      tallies.set(task.daemon.daemonArn, tally);
      if (task.status !== 'RUNNING') continue;
      tally.running += 1;
      tally.cpuTotal += cpuOf(task.daemon.daemonTaskDefinitionArn);
    }
  }
}

/** One PutMetricData call: its scope (the daemons'), namespace and data points. */
export interface DaemonMetricsCall {
  readonly scope: Scope;
  readonly namespace: string;
  readonly metricData: MetricDatumDto[];
}

/**
 * The period's data points, stamped at its start, for every daemon with a task in the fleet or a failed start in the
 * period (0 failures are published too, so an alarm on failures has data): one call per account and region, in
 * daemon ARN order, split at CloudWatch's limit.
 */
export function daemonMetricCalls(tallies: ReadonlyMap<string, DaemonTally>, failures: ReadonlyMap<string, number>, periodStart: EpochMillis): DaemonMetricsCall[] {
  const byScope = new Map<string, DaemonMetricsCall>();
  for (const daemonArn of [...new Set([...tallies.keys(), ...failures.keys()])].sort()) {
    const arn = parseEcsArn(daemonArn);
    if (arn?.resourceType !== 'daemon' || arn.path.length !== 2) continue;
    const dimensions = [
      { name: 'ClusterName', value: arn.path[0] },
      { name: 'ServiceName', value: `daemon:${arn.path[1]}` },
    ];
    const timestamp = periodStart / 1000;
    const key = `${arn.scope.accountId}.${arn.scope.region}`;
    const call = byScope.get(key) ?? { scope: arn.scope, namespace: DAEMON_METRICS_NAMESPACE, metricData: [] };
    byScope.set(key, call);
    call.metricData.push({ metricName: 'DaemonTaskStartFailures', dimensions, value: failures.get(daemonArn) ?? 0, timestamp, unit: 'Count' });
    const tally = tallies.get(daemonArn);
    if (tally && tally.running > 0)
      call.metricData.push({ metricName: 'CPUUtilization', dimensions, value: tally.cpuTotal / tally.running, timestamp, unit: 'Percent' });
  }
  return [...byScope.values()].flatMap((call) =>
    Array.from({ length: Math.ceil(call.metricData.length / MAX_DATA_PER_CALL) }, (_, chunk) => ({
      ...call,
      metricData: call.metricData.slice(chunk * MAX_DATA_PER_CALL, (chunk + 1) * MAX_DATA_PER_CALL),
    })),
  );
}

/**
 * The simulated CPU a daemon task definition sets: the first container whose `environment` holds
 * DAEMONFLEET_SIMULATED_CPU_PERCENT with a number from 0 to 100. undefined when none does (the baseline applies).
 */
export function simulatedCpuPercent(definition: DaemonTaskDefinitionSpec): number | undefined {
  for (const container of definition.containerDefinitions) {
    const environment = Array.isArray(container.environment) ? (container.environment as unknown[]) : [];
    const variable = environment.find((entry): entry is { name: string; value: unknown } => (entry as { name?: unknown } | null)?.name === SIMULATED_CPU_VARIABLE);
    if (!variable) continue;
    const percent = typeof variable.value === 'string' && variable.value.trim() !== '' ? Number(variable.value) : NaN;
    if (Number.isFinite(percent) && percent >= 0 && percent <= 100) return percent;
  }
  return undefined;
}
