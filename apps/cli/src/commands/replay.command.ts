import { deploymentView } from '../format/deployment-view.js';
import { shortArn, shortenArns } from '../format/text.js';
import { TIMELINE_LEGEND, timelineHeader, timelineLines } from '../format/timeline.js';
import type { DeploymentAtVersion } from '../http/gateway-api.js';
import type { GatewayClient } from '../http/gateway-client.js';
import type { StepKey } from '../terminal/key-presses.js';
import type { Terminal } from '../terminal/terminal.js';

export interface ReplayOptions {
  readonly deploymentId: string;
  /** Only events of these types (all when empty). */
  readonly types: readonly string[];
  readonly fromVersion?: number;
  readonly toVersion?: number;
}

/** `replay <id>`: a title saying what the deployment is and how it ended, then one line per event. */
export async function printTimeline(client: GatewayClient, terminal: Terminal, options: ReplayOptions): Promise<void> {
  const latest = await client.stateAt(options.deploymentId);
  terminal.print(...title(latest), '', timelineHeader());
  const query = new URLSearchParams({ withState: 'true' });
  for (const type of options.types) query.append('type', type);
  if (options.fromVersion !== undefined) query.set('fromVersion', String(options.fromVersion));
  if (options.toVersion !== undefined) query.set('toVersion', String(options.toVersion));
  for await (const event of client.events(options.deploymentId, query)) terminal.print(...timelineLines(event, terminal.width));
  terminal.print('', TIMELINE_LEGEND);
}

/** `replay <id> --at <n>`: the deployment after its first n events. */
export async function printStateAt(client: GatewayClient, terminal: Terminal, deploymentId: string, version: number): Promise<void> {
  const [at, latest] = await Promise.all([client.stateAt(deploymentId, version), client.stateAt(deploymentId)]);
  terminal.print(...deploymentView(at, latest.version));
}

/**
 * `replay <id> --step`: the deployment one version at a time, moved by key presses (next, previous, first, last,
 * quit), starting at `from` (default the first version). Each version is asked of the gateway once.
 */
export async function stepThrough(client: GatewayClient, terminal: Terminal, deploymentId: string, keys: AsyncIterable<StepKey>, from = 1): Promise<void> {
  const last = (await client.stateAt(deploymentId)).version;
  const seen = new Map<number, DeploymentAtVersion>();
  const show = async (version: number) => {
    const at = seen.get(version) ?? (await client.stateAt(deploymentId, version));
    seen.set(version, at);
    terminal.clear();
    terminal.print(...deploymentView(at, last), '', '→/n next · ←/p previous · g first · G last · q quit', '');
  };
  let version = Math.min(Math.max(1, from), last);
  await show(version);
  for await (const key of keys) {
    if (key === 'quit') return;
    const next = key === 'next' ? version + 1 : key === 'previous' ? version - 1 : key === 'first' ? 1 : last;
    if (next < 1 || next > last) {
      terminal.print(next < 1 ? '(already at the first version)' : '(already at the last version)');
      continue;
    }
    version = next;
    await show(version);
  }
}

function title(latest: DeploymentAtVersion): string[] {
  const d = latest.daemonDeployment;
  // daemon-deployment/<cluster>/<daemon>/<id>
  const [cluster, daemon] = d.daemonDeploymentArn.split('/').slice(1, 3);
  const reason = d.statusReason ? ` ${shortenArns(d.statusReason)}` : '';
  const sources = d.sourceDaemonRevisions.map((r) => `revision ${shortArn(r.arn)}`).join(', ') || 'none';
  return [
    `Deployment ${latest.deploymentId} of daemon ${daemon} in cluster ${cluster} (${d.daemonDeploymentArn})`,
    `${d.status} after ${latest.version} events.${reason}`,
    ...(d.targetDaemonRevision ? [`Target: revision ${shortArn(d.targetDaemonRevision.arn)}; replacing ${sources}`] : [`Target: none (the daemon is being deleted from ${sources})`]),
  ];
}
