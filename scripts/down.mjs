// `npm run down`: stops what `npm run up` started (the services, then the pm2 daemon under the same PM2_HOME).
// The daemon is only stopped when nothing else runs under it, in case a user's PM2_HOME is shared.
import { SERVICES } from './process-mode/arguments.mjs';
import { connectPm2, pm2Home, runningDaemon } from './process-mode/pm2.mjs';

const home = pm2Home();
if (!runningDaemon(home)) {
  console.log(`nothing to stop: no pm2 daemon runs under ${home}`);
  process.exit(0);
}
const pm2 = await connectPm2(home);
try {
  const names = [...new Set((await pm2.list()).map((p) => p.name))];
  // The gateways first, so no request arrives at a half-stopped system. pm2 stops a process with SIGINT, then
  // SIGKILL after the kill_timeout of deploy/pm2.config.cjs.
  for (const name of [...SERVICES].reverse().filter((n) => names.includes(n))) await pm2.delete(name);
  const others = names.filter((n) => !SERVICES.includes(n));
  if (others.length === 0) {
    await pm2.killDaemon();
    console.log(`stopped the services and the pm2 daemon (PM2_HOME=${home})`);
  } else {
    console.log(`stopped the services; the pm2 daemon under ${home} keeps running for: ${others.join(', ')}`);
  }
} finally {
  pm2.disconnect();
}
// pm2's client keeps trying to reach the daemon it has just stopped; like pm2's own CLI, exit explicitly.
process.exit(0);
