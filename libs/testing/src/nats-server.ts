import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/**
 * Starts real nats-server processes for tests: each on a free loopback port with its own temporary JetStream
 * store, so suites are isolated from each other and from any server already running on the machine.
 */
export interface NatsServerOptions {
  /** Extra command-line arguments (for example cluster routes). */
  readonly args?: readonly string[];
  /** Reuse a store directory, to restart a server on the same data. */
  readonly storeDir?: string;
  readonly port?: number;
}

export interface RunningNatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Stops the server (SIGTERM, then SIGKILL) and keeps its store, so it can be started again on the same data. */
  stop(): Promise<void>;
  /** Kills the server at once, as a crash would. */
  kill(): Promise<void>;
  /** Stops the server and removes its store. */
  dispose(): Promise<void>;
}

export function findNatsServerBinary(): string | undefined {
  const candidates = [process.env.NATS_SERVER_BIN, 'nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server'].filter(
    (c): c is string => Boolean(c),
  );
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<RunningNatsServer> {
  const binary = findNatsServerBinary();
  if (!binary) throw new Error('nats-server is not installed (Debian package nats-server, or set NATS_SERVER_BIN)');
  const port = options.port ?? (await freePort());
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), 'daemonfleet-nats-'));
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, ...(options.args ?? [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  await waitUntilListening(port, child, () => stderr);

  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
    dispose: async () => {
      await stopWith('SIGTERM');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

async function waitUntilListening(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with code ${child.exitCode}: ${stderr()}`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`nats-server did not listen on port ${port} within 10 s: ${stderr()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
