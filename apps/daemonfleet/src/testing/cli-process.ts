import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runProcess, type ProcessRun } from './run-process.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
/** The command line as `npx daemonfleet` runs it: its bin script, over the built dist (npm run build first). */
export const CLI_BIN = `${root}apps/cli/bin/daemonfleet.js`;

/**
 * Runs the real command line as a separate process (never synchronously: the system under test answers it from
 * this process), with `input` written to its standard input, then closed.
 */
export function runCli(args: readonly string[], { input = '', env = {}, command = [process.execPath, CLI_BIN] }: { input?: string; env?: Record<string, string>; command?: string[] } = {}): Promise<ProcessRun> {
  if (!existsSync(`${root}apps/cli/dist/main.js`)) throw new Error('apps/cli/dist/main.js is missing: run npm run build first');
  return runProcess([...command, ...args], { cwd: root, env, input });
}
