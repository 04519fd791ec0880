/* global fetch */
// `npm run up -- [--scale SERVICE=COUNT]...`: distributed mode without Docker. The four services run as processes
// under pm2 (fork mode, COUNT processes of a scaled service) against the nats-server at NATS_URL, in the background;
// `npm run down` stops them. The equivalent of `docker compose up --scale ...` on one host.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { parseUpArguments, processSettings, SERVICES, USAGE, UsageError } from './process-mode/arguments.mjs';
import { connectPm2, pm2Home, root, statusCommand } from './process-mode/pm2.mjs';

// How long the gateways have to answer /health with 200, which they do once every service answers them.
const READY_TIMEOUT_MS = 60_000;

let scale, settings;
try {
  const parsed = parseUpArguments(process.argv.slice(2));
  if (parsed.help) {
    console.log(USAGE);
    process.exit(0);
  }
  scale = parsed.scale;
  settings = processSettings(scale, process.env);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`npm run up: ${error.message}; nothing was started.\n\n${USAGE}`);
  process.exit(2);
}

const home = pm2Home();
const dataDir = path.resolve(root, process.env.DATA_DIR || './data');
const fail = (message) => {
  console.error(`npm run up: ${message}`);
  process.exit(1);
};

for (const service of SERVICES) {
  const main = path.join(root, 'apps', service, 'dist', 'main.js');
  if (!existsSync(main)) fail(`${path.relative(root, main)} is missing: run npm run build first; nothing was started.`);
}
// Without a server the services would only restart in a loop: say so now.
if (!(await someAnswers(settings.natsUrl)))
  fail(`no NATS server answers at ${settings.natsUrl} (start one with JetStream, e.g. nats-server -js, or set NATS_URL); nothing was started.`);
// A gateway whose port is taken would restart in a loop, and whatever holds the port might answer /health.
for (const port of settings.gatewayPorts)
  if (!(await portFree(port))) fail(`port ${port} is in use: stop what uses it, or set PORT (the gateways take ${settings.gatewayPorts.join(', ')}); nothing was started.`);
// deploy/pm2.config.cjs says how each service runs under pm2 (the same as `npm start` with NATS_URL); here we
// only set how many of each, and their environment.
const { apps } = createRequire(import.meta.url)(path.join(root, 'deploy', 'pm2.config.cjs'));
const pm2 = await connectPm2(home);
try {
  if ((await pm2.list()).some((p) => SERVICES.includes(p.name)))
    fail(`daemonfleet already runs under ${home} (${statusCommand(home)}): run ${downCommand()} first.`);
  await pm2.start(
    apps.map((app) => ({
      ...app,
      instances: scale[app.name],
      exec_mode: 'fork',
      // A fixed port per process cannot be shared on one host: each metrics listener takes a free one.
      env: { NATS_URL: settings.natsUrl, DATA_DIR: dataDir, METRICS_PORT: '0', ...(app.name === 'api-gateway' ? { PORT: String(settings.gatewayPorts[0]) } : {}) },
      // pm2 adds 1 to PORT for each further gateway: 8080, 8081, ...
      ...(app.name === 'api-gateway' ? { increment_var: 'PORT' } : {}),
    })),
  );
  const urls = settings.gatewayPorts.map((port) => `http://127.0.0.1:${port}`);
  if (!(await allHealthy(urls))) {
    const processes = (await pm2.list()).filter((p) => SERVICES.includes(p.name));
    const states = processes.map((p) => `${p.name} ${p.pm2_env.status} (${p.pm2_env.restart_time} restarts)`).join(', ');
    fail(`the gateway did not answer /health with 200 within ${READY_TIMEOUT_MS / 1000} s: ${states}.\nLogs: ${path.join(home, 'logs')}; stop with ${downCommand()}.`);
  }
  const width = Math.max(...SERVICES.map((s) => s.length));
  console.log(`\ndaemonfleet is up: distributed mode over ${settings.natsUrl}, under pm2 (PM2_HOME=${home})`);
  for (const service of SERVICES)
    console.log(`  ${service.padEnd(width)}  × ${scale[service]}${service === 'api-gateway' ? `  ${urls.join('  ')}` : ''}`);
  console.log(`API:     ${urls.join(', ')} (docs at ${urls[0]}/docs)`);
  console.log(`Status:  ${statusCommand(home)}`);
  console.log(`Logs:    ${path.join(home, 'logs')}/<service>-{out,error}.log, or PM2_HOME=${home} npx pm2 logs`);
  console.log(`Stop:    ${downCommand()}`);
} finally {
  pm2.disconnect();
}

/** `npm run down`, with the PM2_HOME to use when it is not the one down finds by itself. */
function downCommand() {
  return pm2Home({}) === home ? 'npm run down' : `PM2_HOME=${home} npm run down`;
}

/** True when a TCP connection to at least one of the comma-separated NATS URLs succeeds. */
async function someAnswers(natsUrls) {
  const answers = natsUrls.split(',').map((url) => {
    const { hostname, port } = new URL(url.trim());
    return new Promise((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) || 4222, timeout: 3_000 });
      const done = (ok) => {
        socket.destroy();
        resolve(ok);
      };
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
      socket.once('timeout', () => done(false));
    });
  });
  return (await Promise.all(answers)).some(Boolean);
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

async function allHealthy(urls) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (const url of urls) {
    for (;;) {
      const status = await fetch(`${url}/health`).then((r) => r.status, () => 0);
      if (status === 200) break;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return true;
}
