// One fleet-agent process of distributed mode: `npm run start:fleet-agent` (needs NATS_URL).
import 'reflect-metadata';
import { runService } from '@daemonfleet/service-runtime';
import { startFleetAgent } from './index.js';

await runService('fleet-agent', (infrastructure) => startFleetAgent(infrastructure));
