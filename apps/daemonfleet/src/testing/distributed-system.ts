import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventually, freePort } from '@daemonfleet/testing';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
export const SERVICES = ['fleet-agent', 'alarm-monitor', 'deployment-orchestrator', 'api-gateway'] as const;
export type ServiceProcessName = (typeof SERVICES)[number];

export interface ServiceProcess {
  readonly service: ServiceProcessName;
  readonly child: ChildProcess;
  /** Base URL of its /metrics and /health listener, when it was started with a known METRICS_PORT. */
  readonly metricsUrl?: string;
  /** A gateway's API base URL, when it was started with a known PORT. */
  readonly url?: string;
  readonly alive: boolean;
  /** The last lines the process wrote, for failure messages. */
  output(): string;
  /** SIGTERM (a clean stop) or SIGKILL (a crash); resolves when the process has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** SIGSTOP: the process freezes where it is (a long pause, a partition), keeping its connections and what it holds. */
  pause(): void;
  /** SIGCONT: it goes on from where it froze, with whatever it had in hand. */
  resume(): void;
}

export interface DistributedSystem {
  /** The first gateway's base URL. */
  readonly url: string;
  /** Every gateway started with the system, in order. */
  readonly gatewayUrls: readonly string[];
  readonly processes: ServiceProcess[];
  /** Starts one more process of a service (a replica, or a replacement), with extra environment. */
  start(service: ServiceProcessName, env?: Record<string, string>): ServiceProcess;
  /**
   * Starts one more replica with its own metrics port (and, for a gateway, its own API port), and waits until it
   * is up: a gateway until its /health answers 200, any other service until its metrics listener answers /health.
   */
  startReplica(service: ServiceProcessName, env?: Record<string, string>): Promise<ServiceProcess>;
  /** Starts one more gateway on a port of its own and waits until it is healthy; answers its URL. */
  startGateway(): Promise<string>;
  /** The running processes of a service. */
  replicas(service: ServiceProcessName): ServiceProcess[];
  close(): Promise<void>;
}

export type Replicas = Partial<Record<ServiceProcessName, number>>;

/**
 * Distributed mode as users run it: each service its own `node apps/<service>/dist/main.js` process, talking over
 * a real nats-server, with the JetStream event store; `replicas` processes of each service (1 by default), each
 * with its own metrics port. Needs `npm run build` first.
 */
export async function startDistributedSystem({
  natsUrl,
  streamName,
  env = {},
  replicas = {},
}: {
  natsUrl: string;
  streamName: string;
  env?: Record<string, string>;
  replicas?: Replicas;
}): Promise<DistributedSystem> {
  const processes: ServiceProcess[] = [];
  const start = (service: ServiceProcessName, extra: Record<string, string> = {}) => {
    const started = spawnService(service, { NATS_URL: natsUrl, EVENT_STREAM: streamName, LOG_LEVEL: 'warn', ...env, ...extra });
    processes.push(started);
    return started;
  };
  const startReplica = async (service: ServiceProcessName, extra: Record<string, string> = {}) => {
    const ports: Record<string, string> = { METRICS_PORT: String(await freePort()) };
    if (service === 'api-gateway') ports.PORT = String(await freePort());
    const started = start(service, { ...ports, ...extra });
    const died = () => (started.child.exitCode !== null ? `${service} exited: ${started.output()}` : undefined);
    if (started.url) await untilHealthy(started.url, died);
    else await untilHealthy(started.metricsUrl!, died);
    return started;
  };
  const gatewayUrls: string[] = [];
  const system: DistributedSystem = {
    url: '',
    gatewayUrls,
    processes,
    start,
    startReplica,
    startGateway: async () => (await startReplica('api-gateway')).url!,
    replicas: (service) => processes.filter((p) => p.service === service && p.alive),
    close: async () => {
      await Promise.all(processes.map((p) => p.stop()));
    },
  };
  try {
    const microservices = SERVICES.filter((s) => s !== 'api-gateway').flatMap((service) => Array.from({ length: replicas[service] ?? 1 }, () => service));
    await Promise.all(microservices.map((service) => startReplica(service)));
    for (let i = 0; i < (replicas['api-gateway'] ?? 1); i++) gatewayUrls.push(await system.startGateway());
    return { ...system, url: gatewayUrls[0] };
  } catch (error) {
    await system.close();
    const outputs = processes.map((p) => `--- ${p.service}\n${p.output()}`).join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${outputs}`, { cause: error });
  }
}

/** Polls /health until 200; `failed` names a reason to give up early (a process that died). */
export async function untilHealthy(url: string, failed: () => string | undefined = () => undefined): Promise<void> {
  await eventually(
    async () => {
      const reason = failed();
      if (reason) throw new Error(reason);
      const response = await fetch(`${url}/health`);
      if (response.status !== 200) throw new Error(`health ${response.status}: ${await response.text()}`);
    },
    { timeoutMs: 30_000, intervalMs: 100, what: `${url} to be healthy` },
  );
}

function spawnService(service: ServiceProcessName, env: Record<string, string>): ServiceProcess {
  const main = `${root}apps/${service}/dist/main.js`;
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    service,
    child,
    metricsUrl: env.METRICS_PORT && env.METRICS_PORT !== '0' ? `http://127.0.0.1:${env.METRICS_PORT}` : undefined,
    url: service === 'api-gateway' && env.PORT ? `http://127.0.0.1:${env.PORT}` : undefined,
    get alive() {
      return alive();
    },
    output: () => output,
    pause: () => {
      if (alive()) child.kill('SIGSTOP');
    },
    resume: () => {
      if (alive()) child.kill('SIGCONT');
    },
    stop: async (signal = 'SIGTERM') => {
      if (!alive()) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      // A paused process takes no SIGTERM until it runs again.
      child.kill('SIGCONT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
