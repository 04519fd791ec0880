import { diffDeployments, diffValue } from '../format/state-diff.js';
import { timelineHeader, timelineLines } from '../format/timeline.js';
import type { GatewayClient } from '../http/gateway-client.js';
import type { Terminal } from '../terminal/terminal.js';

/** `diff <id> <a> <b>`: the events that lie between two versions, then every field of the deployment that changed. */
export async function printDiff(client: GatewayClient, terminal: Terminal, deploymentId: string, a: number, b: number): Promise<void> {
  const [from, to] = await Promise.all([client.stateAt(deploymentId, a), client.stateAt(deploymentId, b)]);
  terminal.print(`Deployment ${deploymentId}: version ${a} (${from.event.type}) → version ${b} (${to.event.type})`, '');
  const [low, high] = a <= b ? [a, b] : [b, a];
  if (high > low) {
    terminal.print(`The events after version ${low} up to version ${high}:`, timelineHeader());
    const query = new URLSearchParams({ withState: 'true', fromVersion: String(low + 1), toVersion: String(high) });
    for await (const event of client.events(deploymentId, query)) terminal.print(...timelineLines(event, terminal.width));
    terminal.print('');
  }
  const changes = diffDeployments(from.daemonDeployment, to.daemonDeployment);
  if (changes.length === 0) {
    terminal.print('DescribeDaemonDeployments answered the same at both versions.');
    return;
  }
  terminal.print(`What DescribeDaemonDeployments answered differently (version ${a} → version ${b}):`);
  const width = Math.max(...changes.map((c) => c.path.length));
  for (const change of changes) terminal.print(`  ${change.path.padEnd(width)}  ${diffValue(change.from)} → ${diffValue(change.to)}`);
}
