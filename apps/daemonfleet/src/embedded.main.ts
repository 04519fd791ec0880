// `npm start` without NATS_URL: the whole system in this one process.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@daemonfleet/service-runtime';
import { startEmbeddedSystem } from './embedded-system.js';

const logger = new Logger('daemonfleet');
const system = await startEmbeddedSystem(loadConfig());
logger.log(`embedded mode: listening on ${system.url} (API under /v1, OpenAPI at /docs); metrics at ${system.metricsUrl}/metrics`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.log(`${signal}: stopping`);
  await system.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
