import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { Streams, type AlarmStateChanged, type ReplyOf, type RequestOf, type Scope, type Subject } from '@daemonfleet/contracts';
import { createMemoryEventStore, type EventStore, type RecordedEvent } from '@daemonfleet/event-store';
import { createRpcClient, InProcessBus, type RpcClient } from '@daemonfleet/messaging';
import { loadConfig, randomIds, systemClock } from '@daemonfleet/service-runtime';
import { startAlarmMonitor } from '../index.js';

export const scope: Scope = { accountId: '000000000000', region: 'us-east-1' };

/**
 * The alarm monitor started as the embedded system starts it, on a real in-memory store and the in-process transport,
 * driven by commands as the gateway and the fleet agent send them, and observed through the store. More replicas
 * can join it on the same store and bus.
 */
export class AlarmMonitorHarness {
  private readonly replicas: INestMicroservice[] = [];

  private constructor(
    readonly store: EventStore,
    private readonly bus: InProcessBus,
    private readonly client: RpcClient,
    private readonly env: Record<string, string>,
  ) {}

  /**
   * `env` as the process environment (TIME_SCALE above all: a 60-second period lasts 60,000 / TIME_SCALE ms); `store`
   * any adapter, closed with the harness.
   */
  static async start(env: Record<string, string> = {}, store: EventStore = createMemoryEventStore()): Promise<AlarmMonitorHarness> {
    const bus = new InProcessBus();
    const harness = new AlarmMonitorHarness(store, bus, createRpcClient({ kind: 'in-process', bus }, { defaultTimeoutMs: 10_000 }), env);
    await harness.addReplica();
    return harness;
  }

  /** Another replica of the service, sharing the store and the commands (one queue group). */
  async addReplica(): Promise<void> {
    const config = loadConfig({ LOG_LEVEL: 'warn', ...this.env });
    const transport = { kind: 'in-process' as const, bus: this.bus };
    this.replicas.push(await startAlarmMonitor({ processName: 'alarm-monitor', config, eventStore: this.store, transport, clock: systemClock, ids: randomIds }));
  }

  /** Stops every replica and the store (a memory store's log keeps the data, for a monitor started on it later). */
  async close(): Promise<void> {
    await this.client.close();
    for (const replica of this.replicas.splice(0)) await replica.close();
    await this.store.close();
  }

  send<S extends Subject>(subject: S, data: RequestOf<S>, inScope: Scope = scope): Promise<ReplyOf<S>> {
    return this.client.request(subject, { data, meta: { correlationId: randomUUID(), scope: inScope, principalArn: `arn:aws:iam::${inScope.accountId}:user/test` } });
  }

  events(streamId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(streamId);
  }

  /** The alarm's state changes, oldest first. */
  async stateChanges(alarmName: string): Promise<AlarmStateChanged['data'][]> {
    const events = await this.events(Streams.alarm(scope, alarmName));
    return events.filter((event) => event.type === 'AlarmStateChanged').map((event) => event.data as AlarmStateChanged['data']);
  }

  async stateOf(alarmName: string): Promise<string | null> {
    const { alarms } = await this.send('alarms.query.GetAlarmStates', { alarmNames: [alarmName] });
    return alarms[0].stateValue;
  }
}

/** A CPU alarm on a daemon's metric: above 80 on average in `datapointsToAlarm` of `evaluationPeriods` one-minute periods. */
export function cpuAlarm(alarmName: string, change: Partial<RequestOf<'alarms.command.PutMetricAlarm'>> = {}): RequestOf<'alarms.command.PutMetricAlarm'> {
  return {
    alarmName,
    namespace: 'AWS/ECS',
    metricName: 'CPUUtilization',
    dimensions: daemonDimensions,
    statistic: 'Average',
    period: 60,
    evaluationPeriods: 2,
    threshold: 80,
    comparisonOperator: 'GreaterThanThreshold',
    ...change,
  };
}

export const daemonDimensions = [
  { name: 'ClusterName', value: 'prod' },
  { name: 'ServiceName', value: 'daemon:monitor' },
];

/** PutMetricData of the daemon's CPU: one value per entry, stamped `agoMs` before now (epoch seconds, as on the wire). */
export function cpuData(points: ReadonlyArray<[agoMs: number, value: number]>, now = Date.now()): RequestOf<'alarms.command.PutMetricData'> {
  return {
    namespace: 'AWS/ECS',
    metricData: points.map(([agoMs, value]) => ({ metricName: 'CPUUtilization', dimensions: [...daemonDimensions].reverse(), value, timestamp: (now - agoMs) / 1000 })),
  };
}
