import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventually, freePort } from '@daemonfleet/testing';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
export const SERVICES = ['fleet-agent', 'alarm-monitor', 'deployment-orchestrator', 'api-gateway'] as const;

export interface DistributedSystem {
  readonly url: string;
  /** The processes by service name, to stop or kill one in a test. */
  readonly processes: ReadonlyMap<string, ChildProcess>;
  /** The last lines each process wrote, for failure messages. */
  output(service: string): string;
  close(): Promise<void>;
}

/**
 * Distributed mode as users run it: each service its own `node apps/<service>/dist/main.js` process, talking over
 * a real nats-server, with the JetStream event store. Needs `npm run build` first.
 */
export async function startDistributedSystem({ natsUrl, streamName, env = {} }: { natsUrl: string; streamName: string; env?: Record<string, string> }): Promise<DistributedSystem> {
  const port = await freePort();
  const processes = new Map<string, ChildProcess>();
  const outputs = new Map<string, string>();
  for (const service of SERVICES) {
    const main = `${root}apps/${service}/dist/main.js`;
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, NATS_URL: natsUrl, EVENT_STREAM: streamName, PORT: String(port), LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => outputs.set(service, ((outputs.get(service) ?? '') + chunk.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    processes.set(service, child);
  }
  const url = `http://127.0.0.1:${port}`;
  const system: DistributedSystem = {
    url,
    processes,
    output: (service) => outputs.get(service) ?? '',
    close: async () => {
      await Promise.all([...processes.values()].map((child) => stopProcess(child)));
    },
  };
  try {
    await eventually(
      async () => {
        for (const [service, child] of processes) if (child.exitCode !== null) throw new Error(`${service} exited: ${system.output(service)}`);
        const response = await fetch(`${url}/health`);
        if (response.status !== 200) throw new Error(`health ${response.status}: ${await response.text()}`);
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'the distributed system to be healthy' },
    );
  } catch (error) {
    await system.close();
    throw error;
  }
  return system;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
