// pm2 for `npm run up` / `npm run down`: its daemon, logs and sockets live under a PM2_HOME of this checkout's
// own, so the services never mix with a user's other pm2 processes in ~/.pm2, and `down` finds what `up` started.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** PM2_HOME when set, otherwise DATA_DIR/pm2 (./data/pm2 by default, which git ignores). */
export function pm2Home(env = process.env) {
  return env.PM2_HOME ? path.resolve(root, env.PM2_HOME) : path.resolve(root, env.DATA_DIR || './data', 'pm2');
}

/** The command that shows the processes, for users to copy. */
export const statusCommand = (home) => `PM2_HOME=${home} npx pm2 ls`;

/** The pid of a live pm2 daemon under `home`, or undefined: asking pm2 itself would launch one. */
export function runningDaemon(home) {
  try {
    const pid = Number(readFileSync(path.join(home, 'pm2.pid'), 'utf8'));
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Connects to the pm2 daemon under `home`, launching it if none runs, and answers pm2's API with promises.
 * pm2 reads PM2_HOME when it is loaded, hence the late import.
 */
export async function connectPm2(home) {
  mkdirSync(home, { recursive: true });
  process.env.PM2_HOME = home;
  const { default: pm2 } = await import('pm2');
  const call = (method, ...args) =>
    new Promise((resolve, reject) =>
      pm2[method](...args, (error, result) => (error ? reject(error instanceof Error ? error : new Error(`pm2 ${method}: ${JSON.stringify(error)}`)) : resolve(result))),
    );
  await call('connect');
  return {
    start: (config) => call('start', config),
    list: () => call('list'),
    delete: (name) => call('delete', name),
    killDaemon: () => call('killDaemon'),
    disconnect: () => pm2.disconnect(),
  };
}
