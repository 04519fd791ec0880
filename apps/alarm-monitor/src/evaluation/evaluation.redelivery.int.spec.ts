import { randomUUID } from 'node:crypto';
import { connectJetStreamEventStore } from '@daemonfleet/event-store';
import { describeWithNats, eventually, natsForTests, tapSubscriptions, type NatsForTests } from '@daemonfleet/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlarmMonitorHarness, cpuAlarm, cpuData } from '../testing/alarm-monitor.harness.js';

/**
 * Issue 7 (e) for the alarm monitor, on the distributed mode's store (JetStream): its subscriptions (the alarms, the
 * metric data) deliver at least once, each event again after the next one (tapSubscriptions), as the port allows.
 * A data point delivered twice must not count twice: with SampleCount or Sum it would move the alarm (an extra
 * AlarmStateChanged, which a deployment watching the alarm would roll back on). TIME_SCALE 60: a period lasts 1 s.
 */
describeWithNats('alarm monitor: redelivered events on JetStream', () => {
  let nats: NatsForTests;
  beforeAll(async () => {
    nats = await natsForTests();
  });
  afterAll(() => nats?.dispose());

  it('counts each data point once however many times it is delivered: duplicates never fire the alarm', async () => {
    const id = randomUUID().replace(/-/g, '').slice(0, 12);
    const store = await connectJetStreamEventStore({ servers: nats.url, streamName: `AM_${id}`, subjectPrefix: `am${id}.events` });
    const tapped = tapSubscriptions(store, { redeliver: () => true });
    const monitor = await AlarmMonitorHarness.start({ TIME_SCALE: '60' }, tapped.store);
    try {
      // ALARM once a period holds more than one data point; one per period is OK.
      await monitor.send('alarms.command.PutMetricAlarm', cpuAlarm('crowded', { statistic: 'SampleCount', threshold: 1, evaluationPeriods: 2, datapointsToAlarm: 1 }));
      const now = Date.now();
      await monitor.send('alarms.command.PutMetricData', cpuData([[2_500, 40]], now));
      await monitor.send('alarms.command.PutMetricData', cpuData([[1_500, 50]], now));
      await eventually(
        () => expect(tapped.deliveries.filter((d) => d.replayed && d.event.type === 'MetricDataPut').length).toBeGreaterThanOrEqual(2),
        { what: 'the data points delivered again' },
      );

      // OK on the data, then INSUFFICIENT_DATA once the data has left the evaluation range: never ALARM in between.
      await eventually(async () => expect((await monitor.stateChanges('crowded')).map((change) => change.state)).toEqual(['OK', 'INSUFFICIENT_DATA']), {
        what: 'the alarm OK, then without data',
      });
    } finally {
      await monitor.close();
    }
  });
});
