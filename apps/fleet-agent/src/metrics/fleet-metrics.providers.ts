import type { Provider } from '@nestjs/common';
import { createRpcClient } from '@daemonfleet/messaging';
import type { ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { DaemonMetricSources } from './daemon-metric-sources.js';
import { FLEET_METRICS_RPC, FleetMetricsPublisher } from './fleet-metrics.publisher.js';

/**
 * The fleet's metrics publisher and what it needs, with its own client to the alarm monitor (closed by the publisher
 * at shutdown), so the fleet agent's module takes it in one line.
 */
export function fleetMetricsProviders(infrastructure: ServiceInfrastructure): Provider[] {
  return [
    { provide: FLEET_METRICS_RPC, useFactory: () => createRpcClient(infrastructure.transport, { defaultTimeoutMs: infrastructure.config.requestTimeoutMs }) },
    DaemonMetricSources,
    FleetMetricsPublisher,
  ];
}
