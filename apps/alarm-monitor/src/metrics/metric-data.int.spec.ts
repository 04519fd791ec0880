import { METRIC_DATA_BUCKET_MS, Streams } from '@daemonfleet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlarmMonitorHarness, cpuData, scope } from '../testing/alarm-monitor.harness.js';

/** PutMetricData as the fleet agent and the gateway send it. */
describe('alarm monitor: metric data', () => {
  let monitor: AlarmMonitorHarness;
  beforeAll(async () => {
    monitor = await AlarmMonitorHarness.start();
  });
  afterAll(() => monitor?.close());

  it('stores a call as one event in its namespace’s stream of the hour', async () => {
    const now = Date.now();
    const { result, position } = await monitor.send('alarms.command.PutMetricData', cpuData([[0, 42], [1_000, 43]], now));
    expect(result).toEqual({ accepted: 2 });
    const events = await monitor.events(Streams.metricData(scope, 'AWS/ECS', Math.floor((now - 1_000) / METRIC_DATA_BUCKET_MS)));
    const last = events.at(-1)!;
    expect(last.globalPosition).toBeLessThanOrEqual(position);
    expect(last).toMatchObject({
      type: 'MetricDataPut',
      data: {
        namespace: 'AWS/ECS',
        datapoints: [
          { metricName: 'CPUUtilization', dimensions: [{ name: 'ClusterName', value: 'prod' }, { name: 'ServiceName', value: 'daemon:monitor' }], value: 42 },
          { metricName: 'CPUUtilization', value: 43 },
        ],
      },
    });
  });

  it('stores a call repeated with the same clientToken once, as replicas of the fleet agent publish one period', async () => {
    const data = { ...cpuData([[0, 50]]), namespace: 'Replicated', clientToken: 'fleet-metrics.1795000000000' };
    const before = await monitor.store.headPosition();
    const first = await monitor.send('alarms.command.PutMetricData', data);
    const again = await monitor.send('alarms.command.PutMetricData', data);
    expect(again.position).toBe(first.position);
    expect(await monitor.store.headPosition()).toBe(before + 1);
    await monitor.send('alarms.command.PutMetricData', { ...data, clientToken: undefined });
    expect(await monitor.store.headPosition()).toBe(before + 2);
  });

  it.each([
    ['a timestamp more than two hours ahead', cpuData([[-3 * 3_600_000, 1]]), 'metricData.0.timestamp'],
    ['a timestamp more than two weeks old', cpuData([[0, 1], [15 * 86_400_000, 1]]), 'metricData.1.timestamp'],
    ['no data', { namespace: 'AWS/ECS', metricData: [] }, 'metricData'],
    ['a value that is no number', { namespace: 'AWS/ECS', metricData: [{ metricName: 'm', value: 'high' }] }, 'metricData.0.value'],
    ['a clientToken with a space', { ...cpuData([[0, 1]]), clientToken: 'a b' }, 'clientToken'],
  ])('refuses %s, storing nothing', async (_what, data, field) => {
    const before = await monitor.store.headPosition();
    await expect(monitor.send('alarms.command.PutMetricData', data as never)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', details: { field } });
    expect(await monitor.store.headPosition()).toBe(before);
  });
});
