import { Logger } from '@nestjs/common';
import { randomIds, systemClock } from '../clock/clock.js';
import { loadConfig } from '../config/service-config.js';
import { meteredEventStore } from '../metrics/metered-event-store.js';
import { startMetricsServer } from '../metrics/metrics-server.js';
import { ServiceMetrics } from '../metrics/service-metrics.js';
import { createEventStore } from './event-store.factory.js';
import type { ServiceInfrastructure } from './infrastructure.js';

/**
 * The composition root of one service process in distributed mode (`npm run start:<service>`): NATS for
 * messages, JetStream for events, and the process's own listener for /metrics and /health on METRICS_PORT.
 * Stops cleanly on SIGTERM or SIGINT: the service first, then the store, then the listener.
 */
export async function runService(serviceName: string, start: (infrastructure: ServiceInfrastructure) => Promise<{ close(): Promise<void> }>): Promise<void> {
  const logger = new Logger(serviceName);
  const config = loadConfig();
  if (!config.natsServers) {
    logger.error(`${serviceName} alone is one process of distributed mode: set NATS_URL (npm start without NATS_URL runs everything embedded)`);
    process.exit(2);
  }
  const metrics = new ServiceMetrics({ service: serviceName, processMetrics: true });
  const eventStore = meteredEventStore(await createEventStore(config), metrics);
  const app = await start({
    processName: serviceName,
    config,
    eventStore,
    transport: { kind: 'nats', servers: config.natsServers, name: serviceName },
    clock: systemClock,
    ids: randomIds,
    metrics,
  });
  const metricsServer = await startMetricsServer({ port: config.metricsPort, metrics, health: () => eventStore.checkHealth() });
  logger.log(`metrics at http://0.0.0.0:${metricsServer.port}/metrics, health at /health`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping`);
    await app.close();
    await eventStore.close();
    await metricsServer.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
