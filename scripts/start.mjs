// `npm start`: embedded mode (one process, SQLite in DATA_DIR) without NATS_URL; with NATS_URL, distributed
// mode: the four services as separate processes under pm2, in the foreground.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [command, args] = process.env.NATS_URL
  ? [`${root}node_modules/.bin/pm2-runtime`, ['start', `${root}deploy/pm2.config.cjs`]]
  : [process.execPath, [`${root}apps/daemonfleet/dist/embedded.main.js`]];

const child = spawn(command, args, { stdio: 'inherit', cwd: root });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
