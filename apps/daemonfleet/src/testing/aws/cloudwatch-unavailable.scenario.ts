import { PutMetricDataCommand, type PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { eventually } from '@daemonfleet/testing';
import { expect, it } from 'vitest';
import type { DistributedSystem } from '../distributed-system.js';
import { cloudWatchFailureOf } from './cloudwatch-client.js';
import type { CloudWatchSystem } from './cloudwatch-system.js';

/**
 * InternalServiceFault, CloudWatch's server error: with no alarm monitor to take the command, PutMetricData answers
 * 500, which the SDKs retry (the test's client does not). Distributed mode, where a service can be stopped alone.
 */
export function cloudWatchUnavailableScenarios(system: () => CloudWatchSystem & { readonly system: DistributedSystem }): void {
  it('answers InternalServiceFault (500, Receiver) while no alarm monitor runs, and takes the data again once one does', async () => {
    const { cloudWatch, system: processes } = system();
    const data: PutMetricDataCommandInput = { Namespace: 'Daemonfleet/Tests', MetricData: [{ MetricName: 'Latency', Value: 1 }] };
    for (const monitor of processes.processes.filter((p) => p.service === 'alarm-monitor')) await monitor.stop();

    const error = await cloudWatchFailureOf(cloudWatch.send(new PutMetricDataCommand(data)));
    expect({ name: error.name, Code: error.Code, Type: error.Type, $fault: error.$fault, status: error.$metadata.httpStatusCode }).toEqual({
      name: 'InternalServiceFault',
      Code: 'InternalServiceError',
      Type: 'Receiver',
      $fault: 'server',
      status: 500,
    });

    processes.start('alarm-monitor');
    await eventually(() => cloudWatch.send(new PutMetricDataCommand(data)), { timeoutMs: 30_000, intervalMs: 200, what: 'a new alarm monitor to take the data' });
  });
}
