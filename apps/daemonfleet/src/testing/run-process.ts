import { spawn } from 'node:child_process';

/** How a process the tests ran ended, and what it printed. */
export interface ProcessRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command as a separate process and collects its output until it exits. Never synchronously: the system
 * under test often answers it from this process. `input` is written to its standard input, which is then closed.
 */
export function runProcess([executable, ...args]: readonly string[], { cwd, env = {}, input = '' }: { cwd: string; env?: Record<string, string>; input?: string }): Promise<ProcessRun> {
  const child = spawn(executable, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
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
