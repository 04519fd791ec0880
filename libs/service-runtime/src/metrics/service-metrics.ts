import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type GaugeConfiguration } from 'prom-client';

/** Nest token of the process's ServiceMetrics (infrastructureProviders provides it). */
export const METRICS = Symbol('METRICS');

/** Seconds: a reconcile takes from a millisecond (nothing to do) to seconds (a 10,000-instance batch). */
const RECONCILE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The Prometheus metrics of one process (prom-client), served at /metrics by the process's metrics listener. Every
 * series carries `service` (the process's service, `daemonfleet` in embedded mode); Prometheus adds `instance`, so
 * the replicas of a service are told apart by where they are scraped.
 *
 * The metrics every service has are created here; a service adds its own with `gauge` and `histogram`, which
 * answer the metric already registered under the name, so modules sharing a process share it.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  /** Messages (commands and queries) a microservice handled, and HTTP requests the gateway handled. */
  readonly commandsHandled: Counter<'command' | 'outcome'>;
  readonly eventsAppended: Counter<'category'>;
  /** Events a subscription's handler finished: `subscription` is the durable subscription's name, or `ephemeral`. */
  readonly eventsConsumed: Counter<'subscription' | 'category'>;
  readonly appendConflicts: Counter<'category'>;
  /** How long one run of a reconcile loop took: `loop` is deployment (orchestrator), fleet or service (fleet agent). */
  readonly reconcileDuration: Histogram<'loop'>;

  constructor({ service, processMetrics = false }: { service: string; processMetrics?: boolean }) {
    this.registry.setDefaultLabels({ service });
    // CPU, memory, event loop lag, handles: prom-client's standard process metrics.
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.commandsHandled = new Counter({
      name: 'daemonfleet_commands_handled_total',
      help: 'Commands and queries handled: `command` is the message subject (or the HTTP method and route), `outcome` ok or the error code',
      labelNames: ['command', 'outcome'],
      registers,
    });
    this.eventsAppended = new Counter({
      name: 'daemonfleet_events_appended_total',
      help: 'Events this process appended to the event store, by stream category',
      labelNames: ['category'],
      registers,
    });
    this.eventsConsumed = new Counter({
      name: 'daemonfleet_events_consumed_total',
      help: 'Events handled by the subscriptions of this process: a durable subscription (by name) is shared by the replicas, an ephemeral one sees every event',
      labelNames: ['subscription', 'category'],
      registers,
    });
    this.appendConflicts = new Counter({
      name: 'daemonfleet_append_conflicts_total',
      help: 'Appends refused because another writer appended to the stream first (optimistic concurrency); the command handler reloads, decides again and retries',
      labelNames: ['category'],
      registers,
    });
    this.reconcileDuration = new Histogram({
      name: 'daemonfleet_reconcile_duration_seconds',
      help: 'Duration of one run of a reconcile loop: deployment (orchestrator), fleet (a provider stepped) or service (fleet agent)',
      labelNames: ['loop'],
      buckets: RECONCILE_BUCKETS,
      registers,
    });
  }

  /** A gauge of this process, registered once under its name (a second call answers the first one's gauge). */
  gauge<Label extends string>(configuration: Omit<GaugeConfiguration<Label>, 'registers'>): Gauge<Label> {
    const existing = this.registry.getSingleMetric(configuration.name);
    if (existing) return existing as Gauge<Label>;
    return new Gauge({ ...configuration, registers: [this.registry] });
  }

  /** A counter of this process, registered once under its name. */
  counter<Label extends string>(configuration: { name: string; help: string; labelNames: readonly Label[] }): Counter<Label> {
    const existing = this.registry.getSingleMetric(configuration.name);
    if (existing) return existing as Counter<Label>;
    return new Counter({ ...configuration, registers: [this.registry] });
  }

  /** Times `work` into the reconcile histogram, whatever its outcome. */
  async timeReconcile<T>(loop: 'deployment' | 'fleet' | 'service', work: () => Promise<T>): Promise<T> {
    const end = this.reconcileDuration.startTimer({ loop });
    try {
      return await work();
    } finally {
      end();
    }
  }

  /** The exposition text, as /metrics answers it. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The category of a stream id (`<category>-<id>`), the label events are counted by. */
export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}
