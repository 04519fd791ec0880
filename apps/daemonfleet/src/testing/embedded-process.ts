import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '@daemonfleet/testing';
import { untilHealthy } from './distributed-system.js';

const main = fileURLToPath(new URL('../../dist/embedded.main.js', import.meta.url));

export interface EmbeddedProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** SIGKILL: the process dies at once, as in a crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Embedded mode as users run it (`npm start`), as a child process on a data directory that outlives it. */
export async function startEmbeddedProcess(dataDir: string, env: Record<string, string> = {}): Promise<EmbeddedProcess> {
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  };
  await untilHealthy(url, () => (child.exitCode !== null ? `embedded process exited: ${output}` : undefined));
  return { url, child, output: () => output, kill: () => stopWith('SIGKILL'), stop: () => stopWith('SIGTERM') };
}
