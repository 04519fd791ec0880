import { rmSync } from 'node:fs';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';
import { startNatsServer, type RunningNatsServer } from './nats-server.js';

/** One node of a test cluster: it can be killed, stopped and started again on the same ports and store. */
export interface NatsClusterNode {
  readonly name: string;
  /** Client URL of this node alone. */
  readonly url: string;
  /** Its HTTP monitoring endpoint (/healthz, /jsz, /routez). */
  readonly monitorUrl: string;
  readonly storeDir: string;
  readonly running: boolean;
  /** SIGKILL, as a crash or a lost machine. The store stays. */
  kill(): Promise<void>;
  /** SIGTERM (lame-duck shutdown). The store stays. */
  stop(): Promise<void>;
  /** Starts the node again on its ports and store; it rejoins the cluster and catches up. */
  start(): Promise<void>;
}

export interface RunningNatsCluster {
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's client URL, comma-separated, as NATS_URL takes them. */
  readonly urls: string;
  /** Resolves once every running node answers /healthz with 200 (JetStream up and current, a meta leader elected). */
  ready(timeoutMs?: number): Promise<void>;
  /** Stops every node and removes their stores. */
  dispose(): Promise<void>;
}

interface NodePorts {
  readonly client: number;
  readonly cluster: number;
  readonly monitor: number;
}

/**
 * A JetStream cluster of real nats-server processes on loopback (3 nodes by default), each with its own client,
 * route and monitoring ports and its own store, all routed to each other. Streams created with 3 replicas on it are
 * spread over the three nodes (R3): one node can be lost without losing an acknowledged message.
 */
export async function startNatsCluster(size = 3, { clusterName = 'daemonfleet-test' } = {}): Promise<RunningNatsCluster> {
  const ports: NodePorts[] = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), cluster: await freePort(), monitor: await freePort() });
  const argsOf = (i: number) => [
    '--name',
    `n${i + 1}`,
    '--cluster_name',
    clusterName,
    '--cluster',
    `nats://127.0.0.1:${ports[i].cluster}`,
    '--routes',
    ports
      .filter((_, j) => j !== i)
      .map((p) => `nats://127.0.0.1:${p.cluster}`)
      .join(','),
    '-m',
    String(ports[i].monitor),
  ];
  const nodes: ClusterNode[] = [];
  try {
    for (let i = 0; i < size; i++) nodes.push(await ClusterNode.start(`n${i + 1}`, ports[i], argsOf(i)));
  } catch (error) {
    await Promise.all(nodes.map((node) => node.dispose()));
    throw error;
  }
  const cluster: RunningNatsCluster = {
    nodes,
    urls: nodes.map((node) => node.url).join(','),
    ready: (timeoutMs = 30_000) =>
      eventually(
        async () => {
          for (const node of nodes.filter((n) => n.running)) {
            const response = await fetch(`${node.monitorUrl}/healthz`);
            if (response.status !== 200) throw new Error(`${node.name}: /healthz ${response.status} ${await response.text()}`);
          }
        },
        { timeoutMs, intervalMs: 100, what: 'the NATS cluster to be ready' },
      ),
    dispose: async () => {
      await Promise.all(nodes.map((node) => node.dispose()));
    },
  };
  await cluster.ready();
  return cluster;
}

class ClusterNode implements NatsClusterNode {
  private constructor(
    readonly name: string,
    private readonly ports: NodePorts,
    private readonly args: readonly string[],
    private server: RunningNatsServer | undefined,
    readonly storeDir: string,
  ) {}

  static async start(name: string, ports: NodePorts, args: readonly string[]): Promise<ClusterNode> {
    const server = await startNatsServer({ port: ports.client, args });
    return new ClusterNode(name, ports, args, server, server.storeDir);
  }

  get url(): string {
    return `nats://127.0.0.1:${this.ports.client}`;
  }

  get monitorUrl(): string {
    return `http://127.0.0.1:${this.ports.monitor}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async kill(): Promise<void> {
    await this.server?.kill();
    this.server = undefined;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.server = await startNatsServer({ port: this.ports.client, storeDir: this.storeDir, args: this.args });
  }

  /** Stops the node and removes its store (which outlives stop and kill, for a restart). */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
