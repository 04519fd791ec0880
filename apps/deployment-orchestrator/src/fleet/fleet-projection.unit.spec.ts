import type { CapacityProviderEvent, PlannedDaemonTask } from '@daemonfleet/contracts';
import type { RecordedEvent } from '@daemonfleet/event-store';
import { describe, expect, it } from 'vitest';
import { FleetProjection } from './fleet-projection.js';

describe('FleetProjection', () => {
  it('observes, for a daemon, the providers asked for and every provider where it runs', () => {
    const projection = withProviders('mi', 'mi2', 'other');
    apply(projection, 'mi2', provisioned('i-1', [task(monitor)]));
    apply(projection, 'other', provisioned('i-2', [task(logger)]));
    const asked = (...names: string[]) => projection.fleetsFor('arn:no-such-daemon', names.map(arnOf));
    expect(projection.fleetsFor(monitor, [arnOf('mi')])).toEqual(asked('mi', 'mi2'));
    expect(projection.fleetsFor(monitor, [arnOf('mi')])[1]).toBe(asked('mi2')[0]);
  });

  it('forgets a provider once its last instance of the daemon is gone', () => {
    const projection = withProviders('mi');
    apply(projection, 'mi', provisioned('i-1', [task(monitor)]));
    const change = apply(projection, 'mi', { type: 'InstanceDeregistered', data: { instanceId: 'i-1', deregisteredAt: 0 } });
    expect(change).toEqual({ capacityProviderArn: arnOf('mi'), daemonArns: new Set([monitor]), concernsRollouts: true });
    expect(projection.fleetsFor(monitor, [])).toEqual([]);
  });

  it('says which daemons a change touched, and that application task events concern no rollout', () => {
    const projection = withProviders('mi');
    apply(projection, 'mi', provisioned('i-1', [task(monitor)]));
    const change = apply(projection, 'mi', { type: 'AppTaskPlaced', data: { instanceId: 'i-1', taskArn: 't-1', serviceArn: 's', taskDefinitionArn: 'td', placedAt: 0 } });
    expect(change).toEqual({ capacityProviderArn: arnOf('mi'), daemonArns: new Set([monitor]), concernsRollouts: false });
  });

  it('lists the daemon revisions on instances, launched or about to be', () => {
    const projection = withProviders('mi');
    apply(projection, 'mi', provisioned('i-1', [task(monitor, 'rev-1')]));
    apply(projection, 'mi', { type: 'InstanceRegistered', data: { instanceId: 'i-1', registeredAt: 0 } });
    apply(projection, 'mi', { type: 'DaemonTaskLaunched', data: { instanceId: 'i-1', taskArn: 't', daemon: task(monitor, 'rev-1'), launchedAt: 0, runsAt: 0 } });
    apply(projection, 'mi', provisioned('i-2', [task(monitor, 'rev-2')]));
    expect(projection.revisionsOnInstances(monitor).sort()).toEqual(['rev-1', 'rev-2']);
  });

  it('counts failed daemon task starts on the replacements each deployment launched, per revision (decision 1)', () => {
    const projection = withProviders('mi');
    apply(projection, 'mi', provisioned('i-1', [task(monitor, 'rev-1')]));
    apply(projection, 'mi', provisioned('i-2', [task(monitor, 'rev-2')], { replacesInstanceId: 'i-1', deploymentId: 'dep-1' }));
    for (const [instanceId, attempt] of [['i-2', 1], ['i-2', 2], ['i-1', 1]] as const) {
      apply(projection, 'mi', { type: 'DaemonTaskLaunched', data: { instanceId, taskArn: `t-${instanceId}-${attempt}`, daemon: task(monitor, instanceId === 'i-1' ? 'rev-1' : 'rev-2'), launchedAt: 0, runsAt: 0 } });
      const change = apply(projection, 'mi', failed(instanceId, `t-${instanceId}-${attempt}`, instanceId === 'i-1' ? 'rev-1' : 'rev-2', attempt));
      expect(change?.concernsRollouts).toBe(true);
    }
    // i-1 was launched by no deployment: its failure is nobody's.
    expect(projection.failedStartsOf('dep-1')).toEqual({ 'rev-2': 2 });
    expect(projection.failedStartsOf('dep-2')).toEqual({});
  });
});

// Fixtures last.
const monitor = 'arn:aws:ecs:us-east-1:123456789012:daemon/prod/monitor';
const logger = 'arn:aws:ecs:us-east-1:123456789012:daemon/prod/logger';
const arnOf = (name: string) => `arn:aws:ecs:us-east-1:123456789012:capacity-provider/${name}`;
const task = (daemonArn: string, daemonRevisionArn = 'rev-1'): PlannedDaemonTask => ({ daemonArn, daemonRevisionArn, daemonTaskDefinitionArn: 'td', critical: true });
let position = 0;

function apply(projection: FleetProjection, provider: string, event: CapacityProviderEvent) {
  const recorded: RecordedEvent = {
    ...event,
    streamId: `capacityProvider-123456789012.us-east-1.${provider}`,
    streamVersion: 0,
    globalPosition: ++position,
    metadata: { eventId: String(position), occurredAt: '', schemaVersion: 1 },
  };
  return projection.apply(recorded);
}

function withProviders(...names: string[]): FleetProjection {
  const projection = new FleetProjection();
  for (const name of names)
    apply(projection, name, {
      type: 'CapacityProviderCreated',
      data: { capacityProviderArn: arnOf(name), name, type: 'MANAGED_INSTANCES', clusterName: 'prod', managedInstancesProvider: {}, autoScalingGroupProvider: null, tags: [], createdAt: 0 },
    });
  return projection;
}

function provisioned(instanceId: string, daemons: PlannedDaemonTask[], replacing = { replacesInstanceId: null as string | null, deploymentId: null as string | null }): CapacityProviderEvent {
  return {
    type: 'InstanceProvisioningStarted',
    data: { instanceId, containerInstanceArn: `ci/${instanceId}`, capacityProviderArn: '', clusterArn: '', reason: 'EMULATOR_REQUEST', ...replacing, daemons, startedAt: 0, registersAt: 0 },
  };
}

function failed(instanceId: string, taskArn: string, revision: string, attempt: number): CapacityProviderEvent {
  return {
    type: 'DaemonTaskFailedToStart',
    data: { instanceId, taskArn, daemon: task(monitor, revision), failureType: 'TASK_FAILED_TO_RUN', reason: 'exited', attempt, failedAt: 0, retryAt: 1 },
  };
}

