import { Streams } from '@daemonfleet/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activeInstance,
  appTaskArn,
  daemonArn,
  daemonTask,
  daemonTaskArn,
  drainStarted,
  instanceArn,
  instanceId,
  providerArn,
  providerCreated,
  SCOPE,
  serviceArn,
  T0,
} from '../testing/fleet.fixtures.js';
import { startReadModels, type ReadModelsHarness } from '../testing/read-models.harness.js';

describe('InstanceQueries', () => {
  let h: ReadModelsHarness;
  beforeEach(async () => {
    h = await startReadModels();
    await h.append(MI_A, [providerCreated('mi-a'), ...activeInstance(1, 'mi-a', { daemons: [monitor], services: ['web'] }), ...activeInstance(2, 'mi-a', { daemons: [monitor, logs] })]);
    await h.append(MI_B, [providerCreated('mi-b'), ...activeInstance(3, 'mi-b', { daemons: [logs], services: ['web', 'api'] })]);
  });
  afterEach(() => h.close());

  describe('container instances', () => {
    it('lists every instance of the cluster’s providers', () => {
      expect(h.instances.instancesOf(prod).map((v) => [v.provider.name, v.instance.instanceId])).toEqual([
        ['mi-a', instanceId(1)],
        ['mi-a', instanceId(2)],
        ['mi-b', instanceId(3)],
      ]);
      expect(h.instances.instancesOf({ scope: SCOPE, clusterName: 'other' })).toEqual([]);
    });

    it.each([
      ['its id (its EC2 instance id)', instanceId(3)],
      ['its ARN', instanceArn(3)],
    ])('finds an instance by %s', (_what, reference) => {
      expect(h.instances.instance(prod, reference)).toMatchObject({ provider: { name: 'mi-b' }, instance: { instanceId: instanceId(3), status: 'ACTIVE' } });
    });

    it('finds no instance of another cluster, and none that does not exist', () => {
      expect(h.instances.instance({ scope: SCOPE, clusterName: 'other' }, instanceArn(3))).toBeUndefined();
      expect(h.instances.instance({ scope: SCOPE, clusterName: 'other' }, instanceId(3))).toBeUndefined();
      expect(h.instances.instance(prod, instanceArn(3).replace('/prod/', '/other/'))).toBeUndefined();
      expect(h.instances.instance(prod, instanceId(99))).toBeUndefined();
    });

    it('follows an instance into DRAINING and finds it no more once deregistered', async () => {
      await h.append(MI_A, [drainStarted(1, 9)]);
      expect(h.instances.instance(prod, instanceId(1))?.instance.status).toBe('DRAINING');

      await h.append(MI_A, [{ type: 'InstanceDeregistered', data: { instanceId: instanceId(1), deregisteredAt: T0 + 90_000 } }]);
      expect(h.instances.instance(prod, instanceId(1))).toBeUndefined();
      expect(h.instances.instancesOf(prod).map((v) => v.instance.instanceId)).toEqual([instanceId(2), instanceId(3)]);
    });
  });

  describe('tasks', () => {
    it('lists every task of the cluster, the daemons’ with the applications’', () => {
      expect(arnsOf(h.instances.tasks(prod, {}))).toEqual(
        [daemonTaskArn(1, 0), appTaskArn(1, 0), daemonTaskArn(2, 0), daemonTaskArn(2, 1), daemonTaskArn(3, 0), appTaskArn(3, 0), appTaskArn(3, 1)].sort(),
      );
    });

    it.each([
      ['a daemon', { daemonArn: daemonArn('logs') }, [daemonTaskArn(2, 1), daemonTaskArn(3, 0)]],
      ['a service', { serviceArn: serviceArn('web') }, [appTaskArn(1, 0), appTaskArn(3, 0)]],
      ['a daemon that runs nowhere', { daemonArn: daemonArn('nothing') }, []],
    ])('lists the tasks of %s', (_what, filters, expected) => {
      expect(arnsOf(h.instances.tasks(prod, filters))).toEqual([...expected].sort());
    });

    it('lists the tasks of one instance, and combines filters', () => {
      const instance = h.instances.instance(prod, instanceId(3))!;
      expect(arnsOf(h.instances.tasks(prod, { instance }))).toEqual([daemonTaskArn(3, 0), appTaskArn(3, 0), appTaskArn(3, 1)].sort());
      expect(arnsOf(h.instances.tasks(prod, { instance, serviceArn: serviceArn('api') }))).toEqual([appTaskArn(3, 1)]);
      expect(arnsOf(h.instances.tasks(prod, { instance, daemonArn: daemonArn('monitor') }))).toEqual([]);
      expect(arnsOf(h.instances.tasks(prod, { daemonArn: daemonArn('logs'), serviceArn: serviceArn('web') }))).toEqual([]);
    });

    it('lists nothing of another cluster', () => {
      expect(h.instances.tasks({ scope: SCOPE, clusterName: 'other' }, { daemonArn: daemonArn('logs') })).toEqual([]);
    });

    it('finds a task by id or ARN, as a daemon’s or an application’s', () => {
      expect(h.instances.task(prod, 'd2x1')).toMatchObject({ kind: 'daemon', task: { taskArn: daemonTaskArn(2, 1), status: 'RUNNING' }, instance: { instanceId: instanceId(2) } });
      expect(h.instances.task(prod, appTaskArn(3, 1))).toMatchObject({ kind: 'application', task: { serviceArn: serviceArn('api') }, provider: { name: 'mi-b' } });
      expect(h.instances.task(prod, 'nothing')).toBeUndefined();
      expect(h.instances.task({ scope: SCOPE, clusterName: 'other' }, 'd2x1')).toBeUndefined();
    });

    it('forgets a stopped task, a daemon task replaced by a newer one, and the tasks of a deregistered instance', async () => {
      const relaunched = `${daemonTaskArn(2, 0)}-again`;
      await h.append(MI_A, [
        { type: 'AppTaskStopped', data: { instanceId: instanceId(1), taskArn: appTaskArn(1, 0), serviceArn: serviceArn('web'), reason: 'SERVICE_SCALED_IN', stoppedAt: T0 + 60_000 } },
        { type: 'DaemonTaskLaunched', data: { instanceId: instanceId(2), taskArn: relaunched, daemon: monitor, launchedAt: T0 + 60_000, runsAt: T0 + 70_000 } },
      ]);
      expect(h.instances.task(prod, appTaskArn(1, 0))).toBeUndefined();
      expect(h.instances.task(prod, daemonTaskArn(2, 0))).toBeUndefined();
      expect(h.instances.task(prod, relaunched)).toMatchObject({ kind: 'daemon', task: { status: 'PENDING' } });
      expect(arnsOf(h.instances.tasks(prod, { daemonArn: daemonArn('monitor') }))).toEqual([daemonTaskArn(1, 0), relaunched].sort());

      await h.append(MI_B, [drainStarted(3, 9), { type: 'InstanceDeregistered', data: { instanceId: instanceId(3), deregisteredAt: T0 + 90_000 } }]);
      expect(arnsOf(h.instances.tasks(prod, { serviceArn: serviceArn('web') }))).toEqual([]);
      expect(h.instances.task(prod, appTaskArn(3, 1))).toBeUndefined();
      expect(h.instances.serviceTaskCount(serviceArn('api'), [providerArn('mi-a'), providerArn('mi-b')])).toEqual({ counted: 0, running: 0 });
    });

    it('counts a service’s tasks over the providers given, as the fleet agent counts them', async () => {
      await h.append(MI_B, [
        { type: 'AppTaskPlaced', data: { instanceId: instanceId(3), taskArn: appTaskArn(3, 7), serviceArn: serviceArn('web'), taskDefinitionArn: 'td', placedAt: T0 + 60_000 } },
      ]);
      expect(h.instances.serviceTaskCount(serviceArn('web'), [providerArn('mi-a'), providerArn('mi-b')])).toEqual({ counted: 3, running: 2 });
      expect(h.instances.serviceTaskCount(serviceArn('web'), [providerArn('mi-b'), providerArn('nowhere')])).toEqual({ counted: 2, running: 1 });
    });

    it('counts a task moving off a draining instance and its replacement once: the replacement, pending until it runs', async () => {
      await h.append(MI_A, [
        drainStarted(1, 9),
        { type: 'AppTaskPlaced', data: { instanceId: instanceId(2), taskArn: appTaskArn(2, 5), serviceArn: serviceArn('web'), taskDefinitionArn: 'td', placedAt: T0 + 60_000, replacesTask: { instanceId: instanceId(1), taskArn: appTaskArn(1, 0) } } },
      ]);
      expect(arnsOf(h.instances.tasks(prod, { serviceArn: serviceArn('web') }))).toEqual([appTaskArn(1, 0), appTaskArn(2, 5), appTaskArn(3, 0)].sort());
      expect(h.instances.serviceTaskCount(serviceArn('web'), [providerArn('mi-a'), providerArn('mi-b')])).toEqual({ counted: 2, running: 1 });
    });
  });
});

// Fixtures last.

const prod = { scope: SCOPE, clusterName: 'prod' };
const MI_A = Streams.capacityProvider(SCOPE, 'mi-a');
const MI_B = Streams.capacityProvider(SCOPE, 'mi-b');
const monitor = daemonTask('monitor', '1');
const logs = daemonTask('logs', '1', { critical: false });

const arnsOf = (views: readonly { task: { taskArn: string } }[]) => views.map((v) => v.task.taskArn).sort();
