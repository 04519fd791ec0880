// What `npm run up` is asked to start, read from its command line and environment. Pure (no I/O), so it is unit
// tested (apps/daemonfleet/src/process-mode.unit.spec.ts) and every mistake is reported before anything starts.

/** The services of distributed mode, in the order they are started (the gateway last: its /health asks the others). */
export const SERVICES = ['fleet-agent', 'alarm-monitor', 'deployment-orchestrator', 'api-gateway'];

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_PORT = 8080;

export const USAGE = `usage: npm run up -- [--scale SERVICE=COUNT]...
  Starts the services of distributed mode as processes under pm2, against the nats-server at NATS_URL
  (default ${DEFAULT_NATS_URL}). One process of each service unless scaled, for example:
    npm run up -- --scale deployment-orchestrator=2 --scale fleet-agent=3
  Services: ${SERVICES.join(', ')}. Stop everything with: npm run down`;

/** A mistake in what was asked: the message says which, and nothing has been started. */
export class UsageError extends Error {}

/**
 * The count of processes of each service, from `--scale SERVICE=COUNT` (or `--scale=SERVICE=COUNT`, as
 * `docker compose` also takes it), 1 for a service not named. `help` is true for --help / -h.
 */
export function parseUpArguments(argv) {
  const scale = Object.fromEntries(SERVICES.map((service) => [service, 1]));
  const named = new Set();
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--help' || argument === '-h') return { scale, help: true };
    let value;
    if (argument === '--scale') {
      value = argv[++i];
      if (value === undefined) throw new UsageError('--scale needs a SERVICE=COUNT after it');
    } else if (argument.startsWith('--scale=')) {
      value = argument.slice('--scale='.length);
    } else {
      throw new UsageError(`unknown argument ${JSON.stringify(argument)}`);
    }
    const [service, count] = parseScale(value);
    // Two counts for one service is more likely a typo than an intent: say so rather than pick one.
    if (named.has(service)) throw new UsageError(`${service} is scaled more than once`);
    named.add(service);
    scale[service] = count;
  }
  return { scale, help: false };
}

function parseScale(value) {
  const match = /^([^=]*)=(.*)$/.exec(value);
  if (!match) throw new UsageError(`--scale ${JSON.stringify(value)}: expected SERVICE=COUNT, e.g. fleet-agent=3`);
  const [, service, count] = match;
  if (!SERVICES.includes(service)) throw new UsageError(`--scale ${value}: unknown service ${JSON.stringify(service)} (services: ${SERVICES.join(', ')})`);
  if (!/^\d+$/.test(count) || Number(count) < 1)
    throw new UsageError(`--scale ${value}: the count of ${service} processes must be a whole number of at least 1`);
  return [service, Number(count)];
}

/**
 * The settings `up` derives from the environment. The gateways get consecutive API ports from PORT (8080, 8081, …),
 * as users of one host expect. Every process's /metrics and /health listener takes a free port (METRICS_PORT=0),
 * since processes on one host cannot share one; a fixed METRICS_PORT is refused rather than silently overridden.
 */
export function processSettings(scale, env) {
  const natsUrl = env.NATS_URL || DEFAULT_NATS_URL;
  // The services check it too, but each of them would only fail and be restarted, again and again.
  if (!natsUrl.split(',').every((url) => /^(nats|tls|ws|wss):\/\/[^\s/?#]+$/.test(url.trim())))
    throw new UsageError(`NATS_URL=${natsUrl}: expected one or more nats://host:port URLs, comma-separated`);
  const port = env.PORT === undefined || env.PORT === '' ? DEFAULT_PORT : Number(env.PORT);
  const gateways = scale['api-gateway'];
  if (!Number.isInteger(port) || port < 1 || port + gateways - 1 > 65535)
    throw new UsageError(`PORT=${env.PORT}: the gateways need ${gateways} port(s) from PORT up, between 1 and 65535`);
  if (env.METRICS_PORT && env.METRICS_PORT !== '0')
    throw new UsageError(`METRICS_PORT=${env.METRICS_PORT}: in process mode every process's metrics listener takes a free port (its log says which); unset METRICS_PORT`);
  return { natsUrl, gatewayPorts: Array.from({ length: gateways }, (_, i) => port + i) };
}
