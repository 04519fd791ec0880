import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Subjects } from '@daemonfleet/contracts';
import { Arns } from '@daemonfleet/domain';
import type { RpcClient } from '@daemonfleet/messaging';
import { CLOCK, IDS, SERVICE_CONFIG, ServiceClient, type Clock, type IdGenerator, type ServiceConfig } from '@daemonfleet/service-runtime';
import { CapacityProviders } from '../capacity-providers/capacity-providers.js';
import { DaemonMetricSources } from './daemon-metric-sources.js';
import { daemonMetricCalls, tallyDaemonTasks, type DaemonTally } from './daemon-metrics.js';

export const FLEET_METRICS_RPC = Symbol('FLEET_METRICS_RPC');

/** The principal the fleet publishes its metrics as. */
const PUBLISHER = 'daemonfleet-fleet-agent';

/**
 * Publishes the daemons' metrics (daemon-metrics.ts) to the alarm monitor at the end of every period of
 * METRICS_PERIOD_SECONDS simulated seconds (divided by TIME_SCALE), periods aligned on multiples of their length in
 * wall-clock time. A period late by more than one (a busy process) reports once: the periods it missed have no data.
 *
 * Replicas of the fleet agent all publish; each call carries a clientToken naming its period, so the alarm monitor
 * stores each period once. Reads the providers' fleets through CapacityProviders, changing nothing.
 */
@Injectable()
export class FleetMetricsPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(FleetMetricsPublisher.name);
  private readonly client: ServiceClient;
  private readonly periodMs: number;
  private timer?: NodeJS.Timeout;
  private publishing?: Promise<void>;
  /** Whether the last report failed: a run of failures (no alarm monitor running, say) is logged once. */
  private failing = false;
  private stopped = false;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: IdGenerator,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @Inject(FLEET_METRICS_RPC) private readonly rpc: RpcClient,
    private readonly providers: CapacityProviders,
    private readonly sources: DaemonMetricSources,
  ) {
    this.client = new ServiceClient(rpc);
    this.periodMs = (config.simulation.metricsPeriodSeconds * 1000) / config.timeScale;
  }

  /** Starts once the sources have read the store: a first report with half the providers would mislead. */
  onApplicationBootstrap(): void {
    void this.sources.ready.then(() => this.arm());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.publishing;
    await this.rpc.close();
  }

  private arm(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const next = (Math.floor(now / this.periodMs) + 1) * this.periodMs;
    this.timer = setTimeout(() => this.fire(), Math.max(0, next - now));
    this.timer.unref();
  }

  private fire(): void {
    // A report still on its way (a slow alarm monitor) is not doubled: this period goes with the next.
    if (!this.publishing) {
      const periodEnd = Math.floor(this.clock.now() / this.periodMs) * this.periodMs;
      this.publishing = this.publish(periodEnd).finally(() => (this.publishing = undefined));
    }
    this.arm();
  }

  private async publish(periodEnd: number): Promise<void> {
    const failures = this.sources.takeFailures(periodEnd);
    try {
      const tallies = new Map<string, DaemonTally>();
      for (const streamId of this.sources.providers()) {
        const { state } = await this.providers.load(streamId);
        // The state is the live cached fleet: read before the next await.
        if (state.status === 'ACTIVE') tallyDaemonTasks(tallies, state.fleet, (arn) => this.sources.cpuOf(arn));
      }
      const counts = new Map([...failures].map(([daemonArn, times]) => [daemonArn, times.length]));
      const calls = daemonMetricCalls(tallies, counts, periodEnd - this.periodMs);
      for (const [index, { scope, namespace, metricData }] of calls.entries()) {
        const meta = { correlationId: this.ids.uuid(), scope, principalArn: Arns.iamUser(scope.accountId, PUBLISHER) };
        const clientToken = `fleet-metrics.${scope.accountId}.${scope.region}.${Math.round(periodEnd)}.${index}`;
        await this.client.send(Subjects.alarms.putMetricData, { namespace, metricData, clientToken }, meta);
      }
      if (this.failing) this.logger.log("publishing the daemons' metrics again");
      this.failing = false;
    } catch (error) {
      // The failures are reported with the next period; the other metrics are sampled again then.
      this.sources.restore(failures);
      if (!this.failing) this.logger.warn(`publishing the daemons' metrics failed, and will be retried every period: ${error instanceof Error ? error.message : String(error)}`);
      this.failing = true;
    }
  }
}
