import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { startAlarmMonitor } from '@daemonfleet/alarm-monitor';
import { startApiGateway } from '@daemonfleet/api-gateway';
import { startDeploymentOrchestrator } from '@daemonfleet/deployment-orchestrator';
import type { EventStore } from '@daemonfleet/event-store';
import { startFleetAgent } from '@daemonfleet/fleet-agent';
import { InProcessBus } from '@daemonfleet/messaging';
import {
  createEventStore,
  meteredEventStore,
  randomIds,
  ServiceMetrics,
  startMetricsServer,
  systemClock,
  type MetricsServer,
  type ServiceConfig,
  type ServiceInfrastructure,
} from '@daemonfleet/service-runtime';

export interface EmbeddedSystem {
  /** Base URL of the gateway, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly eventStore: EventStore;
  /** Base URL of the process's /metrics and /health listener (METRICS_PORT; 0 picks a free port). */
  readonly metricsUrl: string;
  close(): Promise<void>;
}

/**
 * Embedded mode: the four services in this process, each its own Nest application as in distributed mode,
 * sharing one in-process bus for commands and one SQLite event store in DATA_DIR.
 */
export async function startEmbeddedSystem(config: ServiceConfig, { host = '0.0.0.0' } = {}): Promise<EmbeddedSystem> {
  const metrics = new ServiceMetrics({ service: 'daemonfleet', processMetrics: true });
  const eventStore = meteredEventStore(await createEventStore({ ...config, natsServers: null }), metrics);
  const infrastructure: ServiceInfrastructure = {
    processName: 'daemonfleet',
    config, eventStore, transport: { kind: 'in-process', bus: new InProcessBus() }, clock: systemClock, ids: randomIds, metrics };
  const services: (INestMicroservice | INestApplication)[] = [];
  let metricsServer: MetricsServer | undefined;
  try {
    // The services that answer first, so the gateway's first request finds them listening.
    services.push(await startFleetAgent(infrastructure));
    services.push(await startAlarmMonitor(infrastructure));
    services.push(await startDeploymentOrchestrator(infrastructure));
    const gateway = await startApiGateway(infrastructure, { host });
    services.push(gateway);
    const address = gateway.getHttpServer().address() as { port: number };
    metricsServer = await startMetricsServer({ port: config.metricsPort, host, metrics, health: () => eventStore.checkHealth() });
    const listener = metricsServer;
    return {
      url: `http://127.0.0.1:${address.port}`,
      eventStore,
      metricsUrl: `http://127.0.0.1:${listener.port}`,
      close: async () => {
        for (const service of services.reverse()) await service.close();
        await eventStore.close();
        await listener.close();
      },
    };
  } catch (error) {
    for (const service of services.reverse()) await service.close().catch(() => undefined);
    await eventStore.close();
    await metricsServer?.close();
    throw error;
  }
}
