// One api-gateway process of distributed mode: `npm run start:api-gateway` (needs NATS_URL).
import 'reflect-metadata';
import { runService } from '@daemonfleet/service-runtime';
import { startApiGateway } from './index.js';

await runService('api-gateway', (infrastructure) => startApiGateway(infrastructure));
