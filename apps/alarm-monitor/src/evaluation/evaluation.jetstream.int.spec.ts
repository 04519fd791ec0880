import { randomUUID } from 'node:crypto';
import { connectJetStreamEventStore } from '@daemonfleet/event-store';
import { describeWithNats, eventually, natsForTests, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlarmMonitorHarness, cpuAlarm, cpuData } from '../testing/alarm-monitor.harness.js';

/** The alarm monitor on the distributed mode's store, JetStream: two replicas, then a restart. TIME_SCALE 60. */
describeWithNats('alarm monitor on JetStream', () => {
  let nats: NatsForTests;
  beforeAll(async () => {
    nats = await natsForTests();
  });
  afterAll(() => nats?.dispose());

  it('fires an alarm once with two replicas, and a new monitor evaluates the stored data for an alarm put after its restart', async () => {
    const id = randomUUID().replace(/-/g, '').slice(0, 12);
    const open = () => connectJetStreamEventStore({ servers: nats.url, streamName: `T_${id}`, subjectPrefix: `t${id}.events` });
    let monitor = await AlarmMonitorHarness.start({ TIME_SCALE: '60' }, await open());
    try {
      await monitor.addReplica();
      await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('busy', { evaluationPeriods: 5, datapointsToAlarm: 2 }));
      await monitor.send('alarms.command.PutMetricData', cpuData([[2_500, 99], [1_500, 99]]));
      await eventually(async () => expect((await monitor.stateChanges('busy')).map((change) => change.state)).toEqual(['ALARM']), { what: 'the alarm to fire' });

      await monitor.close();
      monitor = await AlarmMonitorHarness.start({ TIME_SCALE: '60' }, await open());
      await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('newcomer', { evaluationPeriods: 5, datapointsToAlarm: 2 }));
      await eventually(async () => expect(await monitor.stateOf('newcomer')).toBe('ALARM'), { what: 'the new alarm to evaluate the stored data' });
      expect((await monitor.stateChanges('busy')).map((change) => change.state)).toEqual(['ALARM']);
    } finally {
      await monitor.close();
    }
  });
});
