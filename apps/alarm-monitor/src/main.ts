// One alarm-monitor process of distributed mode: `npm run start:alarm-monitor` (needs NATS_URL).
import 'reflect-metadata';
import { runService } from '@daemonfleet/service-runtime';
import { startAlarmMonitor } from './index.js';

await runService('alarm-monitor', (infrastructure) => startAlarmMonitor(infrastructure));
