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
  /** The last lines the process wrote, for failure messages. */
  output(): string;
  /** SIGTERM (a clean stop) or SIGKILL (a crash); resolves when the process has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export interface DistributedSystem {
  /** The first gateway's base URL. */
  readonly url: string;
  readonly processes: ServiceProcess[];
  /** Starts one more process of a service (a replica, or a replacement), with extra environment. */
  start(service: ServiceProcessName, env?: Record<string, string>): ServiceProcess;
  /** Starts one more gateway on a port of its own and waits until it is healthy; answers its URL. */
  startGateway(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Distributed mode as users run it: each service its own `node apps/<service>/dist/main.js` process, talking over
 * a real nats-server, with the JetStream event store. Needs `npm run build` first.
 */
export async function startDistributedSystem({ natsUrl, streamName, env = {} }: { natsUrl: string; streamName: string; env?: Record<string, string> }): Promise<DistributedSystem> {
  const processes: ServiceProcess[] = [];
  const start = (service: ServiceProcessName, extra: Record<string, string> = {}) => {
    const started = spawnService(service, { NATS_URL: natsUrl, EVENT_STREAM: streamName, LOG_LEVEL: 'warn', ...env, ...extra });
    processes.push(started);
    return started;
  };
  const startGateway = async () => {
    const port = await freePort();
    const gateway = start('api-gateway', { PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    await untilHealthy(url, () => (gateway.child.exitCode !== null ? `api-gateway exited: ${gateway.output()}` : undefined));
    return url;
  };
  const system: DistributedSystem = {
    url: '',
    processes,
    start,
    startGateway,
    close: async () => {
      await Promise.all(processes.map((p) => p.stop()));
    },
  };
  try {
    for (const service of SERVICES.filter((s) => s !== 'api-gateway')) start(service);
    const url = await startGateway();
    return { ...system, url };
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
  return {
    service,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
