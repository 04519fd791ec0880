// One deployment-orchestrator process of distributed mode: `npm run start:deployment-orchestrator` (needs NATS_URL).
import 'reflect-metadata';
import { runService } from '@daemonfleet/service-runtime';
import { startDeploymentOrchestrator } from './index.js';

await runService('deployment-orchestrator', (infrastructure) => startDeploymentOrchestrator(infrastructure));
