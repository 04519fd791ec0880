import type { FleetEvent } from '@daemonfleet/contracts';
import { describe, expect, it } from 'vitest';
import type { InstanceView } from '../read-models/instance.queries.js';
import {
  activeInstance,
  appTaskArn,
  daemonTask,
  DEPLOYMENT_ID,
  drainStarted,
  instanceArn,
  instanceId,
  providerAfter,
  providerCreated,
  provisioned,
  serviceArn,
  T0,
} from '../testing/fleet.fixtures.js';
import { presentContainerInstance } from './container-instance.presenter.js';

describe('presentContainerInstance', () => {
  it('shows an ACTIVE instance, its tasks counted, its daemons healthy', () => {
    expect(presentContainerInstance(instanceAfter(activeInstance(1, 'mi-a', { daemons: [monitor, logs], services: ['web'] })))).toEqual({
      containerInstanceArn: instanceArn(1),
      ec2InstanceId: instanceId(1),
      capacityProviderName: 'mi-a',
      status: 'ACTIVE',
      agentConnected: true,
      runningTasksCount: 3,
      pendingTasksCount: 0,
      registeredAt: 1_742_040_005,
      healthStatus: { overallStatus: 'OK', details: [{ type: 'DAEMON', status: 'OK' }] },
      attributes: [{ name: 'daemonfleet.launch-reason', value: 'SERVICE_SCALE_OUT' }],
    });
  });

  it('shows a provisioning instance REGISTERING, not yet registered, its daemons INITIALIZING', () => {
    const presented = presentContainerInstance(instanceAfter([provisioned(1, 'mi-a', { daemons: [monitor] })]));
    expect(presented).toMatchObject({ status: 'REGISTERING', agentConnected: false, runningTasksCount: 0, pendingTasksCount: 0 });
    expect(presented).not.toHaveProperty('registeredAt');
    expect(presented.healthStatus).toEqual({
      overallStatus: 'INITIALIZING',
      details: [{ type: 'DAEMON', status: 'INITIALIZING', statusReason: 'Daemon tasks not running: monitor' }],
    });
  });

  it('counts an application task placed while the instance registers as pending', () => {
    const presented = presentContainerInstance(
      instanceAfter([
        provisioned(1, 'mi-a'),
        { type: 'AppTaskPlaced', data: { instanceId: instanceId(1), taskArn: appTaskArn(1, 0), serviceArn: serviceArn('web'), taskDefinitionArn: 'td', placedAt: T0 } },
      ]),
    );
    expect(presented).toMatchObject({ runningTasksCount: 0, pendingTasksCount: 1 });
  });

  it('shows IMPAIRED an instance that takes tasks while a non-critical daemon’s task does not run (decision 21)', () => {
    const id = instanceId(1);
    const presented = presentContainerInstance(
      instanceAfter([
        ...activeInstance(1, 'mi-a', { daemons: [monitor] }),
        { type: 'DaemonTaskLaunched', data: { instanceId: id, taskArn: 'arn:logs-task', daemon: logs, launchedAt: T0 + 30_000, runsAt: T0 + 40_000 } },
      ]),
    );
    expect(presented).toMatchObject({ status: 'ACTIVE', runningTasksCount: 1, pendingTasksCount: 1 });
    expect(presented.healthStatus).toEqual({ overallStatus: 'IMPAIRED', details: [{ type: 'DAEMON', status: 'IMPAIRED', statusReason: 'Daemon tasks not running: logs' }] });
  });

  it('shows a draining instance with the deployment that drains it, and a replacement with the instance it replaces', () => {
    const drained = presentContainerInstance(instanceAfter([...activeInstance(1, 'mi-a', { daemons: [monitor] }), drainStarted(1, 2)]));
    expect(drained).toMatchObject({ status: 'DRAINING', statusReason: `Draining for daemon deployment ${DEPLOYMENT_ID}; replaced by ${instanceId(2)}` });

    const replacement = presentContainerInstance(instanceAfter([provisioned(2, 'mi-a', { replaces: instanceId(1) })], 2));
    expect(replacement.attributes).toEqual([
      { name: 'daemonfleet.launch-reason', value: 'REPLACEMENT' },
      { name: 'daemonfleet.replaces-instance', value: instanceId(1) },
    ]);
  });
});

// Fixtures last.

const monitor = daemonTask('monitor', '1');
const logs = daemonTask('logs', '1', { critical: false });

function instanceAfter(events: readonly FleetEvent[], n = 1): InstanceView {
  const provider = providerAfter([providerCreated('mi-a'), ...events]);
  return { provider, instance: provider.fleet.instances.get(instanceId(n))! };
}
