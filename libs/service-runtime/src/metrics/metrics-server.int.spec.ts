import { afterEach, describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { ServiceMetrics } from './service-metrics.js';

describe('the metrics listener of a service process', () => {
  const servers: MetricsServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('answers /metrics in the Prometheus text format, every series labelled with the service', async () => {
    const metrics = new ServiceMetrics({ service: 'fleet-agent', processMetrics: true });
    metrics.commandsHandled.inc({ command: 'fleet.command.AddInstances', outcome: 'ok' }, 3);
    const url = await listen(metrics);
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('daemonfleet_commands_handled_total{command="fleet.command.AddInstances",outcome="ok",service="fleet-agent"} 3');
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="fleet-agent"\} /m);
  });

  it('answers /health 200 while the process is healthy and 503 with the reason when it is not', async () => {
    const health: { failure?: string } = {};
    const url = await listen(new ServiceMetrics({ service: 'x' }), async () => {
      if (health.failure) throw new Error(health.failure);
    });
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    health.failure = 'JetStream stream DF_EVENTS is unreachable';
    const down = await fetch(`${url}/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'error', reason: 'JetStream stream DF_EVENTS is unreachable' });
  });

  it('answers 404 for anything else', async () => {
    const url = await listen(new ServiceMetrics({ service: 'x' }));
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('takes a free port when given 0, so replicas on one machine never clash', async () => {
    const a = await startMetricsServer({ port: 0, host: '127.0.0.1', metrics: new ServiceMetrics({ service: 'a' }), health: async () => undefined });
    const b = await startMetricsServer({ port: 0, host: '127.0.0.1', metrics: new ServiceMetrics({ service: 'b' }), health: async () => undefined });
    servers.push(a, b);
    expect(a.port).toBeGreaterThan(0);
    expect(b.port).not.toBe(a.port);
  });

  it('fails to start on a port already taken', async () => {
    const a = await startMetricsServer({ port: 0, host: '127.0.0.1', metrics: new ServiceMetrics({ service: 'a' }), health: async () => undefined });
    servers.push(a);
    await expect(startMetricsServer({ port: a.port, host: '127.0.0.1', metrics: new ServiceMetrics({ service: 'b' }), health: async () => undefined })).rejects.toThrow(/EADDRINUSE/);
  });

  async function listen(metrics: ServiceMetrics, health: () => Promise<void> = async () => undefined): Promise<string> {
    const server = await startMetricsServer({ port: 0, host: '127.0.0.1', metrics, health });
    servers.push(server);
    return `http://127.0.0.1:${server.port}`;
  }
});
