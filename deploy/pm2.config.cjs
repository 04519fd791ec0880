// Distributed mode as processes (`npm start` with NATS_URL set): one process per service, supervised by pm2.
// Each process reads its configuration from the environment it inherits (NATS_URL, PORT, LOG_LEVEL, ...).
// `npm run up` (scripts/up.mjs) starts these same apps in the background, with the instances asked by --scale.
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const services = ['fleet-agent', 'alarm-monitor', 'deployment-orchestrator', 'api-gateway'];

module.exports = {
  apps: services.map((service) => ({
    name: service,
    script: path.join(root, 'apps', service, 'dist', 'main.js'),
    cwd: root,
    instances: 1,
    exec_mode: 'fork',
    autorestart: true,
    // Give a service the time to finish what it is doing (it stops cleanly on SIGINT, which pm2 sends first).
    kill_timeout: 10000,
    merge_logs: true,
  })),
};
