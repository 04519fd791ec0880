import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
/** The command line as `npx daemonfleet` runs it: its bin script, over the built dist (npm run build first). */
export const CLI_BIN = `${root}apps/cli/bin/daemonfleet.js`;

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real command line as a separate process (never synchronously: the system under test answers it from
 * this process), with `input` written to its standard input, then closed.
 */
export function runCli(args: readonly string[], { input = '', env = {}, command = [process.execPath, CLI_BIN] }: { input?: string; env?: Record<string, string>; command?: string[] } = {}): Promise<CliRun> {
  if (!existsSync(`${root}apps/cli/dist/main.js`)) throw new Error('apps/cli/dist/main.js is missing: run npm run build first');
  const [executable, ...prefix] = command;
  const child = spawn(executable, [...prefix, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
