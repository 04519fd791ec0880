import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceMetrics } from './service-metrics.js';

export interface MetricsServer {
  /** The port it listens on (the one chosen when asked for 0). */
  readonly port: number;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly metrics: ServiceMetrics;
  /** Resolves when the process can do its work (its event store answers); rejects with the reason otherwise. */
  readonly health: () => Promise<void>;
}

const HEALTH_TIMEOUT_MS = 3_000;

/**
 * The small HTTP listener every service process has, apart from the gateway's API: `GET /metrics` (Prometheus text
 * format) and `GET /health` (200 `{"status":"ok"}`, or 503 with the reason: what compose's health checks and
 * process managers probe). Port 0 picks a free one: replicas on one machine then never clash, and the process
 * logs the port it got.
 */
export function startMetricsServer({ port, host = '0.0.0.0', metrics, health }: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || (path !== '/metrics' && path !== '/health')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'GET /metrics or /health' }));
      return;
    }
    const answer =
      path === '/metrics'
        ? metrics.exposition().then((text) => response.writeHead(200, { 'content-type': metrics.contentType }).end(text))
        : withTimeout(health(), HEALTH_TIMEOUT_MS).then(
            () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' })),
            (error: unknown) =>
              response
                .writeHead(503, { 'content-type': 'application/json' })
                .end(JSON.stringify({ status: 'error', reason: error instanceof Error ? error.message : String(error) })),
          );
    answer.catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  // Scrapes and probes are short; a client that opens a connection and says nothing is let go.
  server.requestTimeout = 10_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ port: (server.address() as AddressInfo).port, close: () => closeServer(server) });
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
