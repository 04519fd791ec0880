import { Logger } from '@nestjs/common';
import { randomIds, systemClock } from '../clock/clock.js';
import { loadConfig } from '../config/service-config.js';
import { createEventStore } from './event-store.factory.js';
import type { ServiceInfrastructure } from './infrastructure.js';

/**
 * The composition root of one service process in distributed mode (`npm run start:<service>`): NATS for
 * messages, JetStream for events. Stops cleanly on SIGTERM or SIGINT: the service first, then the store.
 */
export async function runService(serviceName: string, start: (infrastructure: ServiceInfrastructure) => Promise<{ close(): Promise<void> }>): Promise<void> {
  const logger = new Logger(serviceName);
  const config = loadConfig();
  if (!config.natsServers) {
    logger.error(`${serviceName} alone is one process of distributed mode: set NATS_URL (npm start without NATS_URL runs everything embedded)`);
    process.exit(2);
  }
  const eventStore = await createEventStore(config);
  const app = await start({ processName: serviceName, config, eventStore, transport: { kind: 'nats', servers: config.natsServers, name: serviceName }, clock: systemClock, ids: randomIds });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping`);
    await app.close();
    await eventStore.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
