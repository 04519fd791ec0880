import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import type { InProcessBus } from './in-process.bus.js';
import { InProcessServer } from './in-process.server.js';

/**
 * The one choice a composition root makes about commands and queries: every service in embedded mode shares one
 * in-process bus; in distributed mode each process connects to the NATS servers. Nothing else in the code base
 * knows which it got.
 */
export type TransportConfig = InProcessTransportConfig | NatsTransportConfig;

export interface InProcessTransportConfig {
  readonly kind: 'in-process';
  readonly bus: InProcessBus;
}

export interface NatsTransportConfig {
  readonly kind: 'nats';
  readonly servers: readonly string[];
  /** Connection name shown by the NATS server's monitoring; services default to their queue group. */
  readonly name?: string;
}

/** Wait between reconnection attempts. nats.js defaults to 2 s; a restarted server is found sooner. */
const NATS_RECONNECT_WAIT_MS = 1_000;

/**
 * Connection settings shared by the NATS servers and clients of our services. A lost server is retried forever:
 * replicas outlive a NATS restart or a network cut instead of exiting, and nats.js resubscribes on reconnect.
 */
export function natsConnectionOptions(transport: NatsTransportConfig) {
  return {
    servers: [...transport.servers],
    name: transport.name,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: NATS_RECONNECT_WAIT_MS,
  };
}

/**
 * The options for `NestFactory.createMicroservice` of one service. `queueGroup` is the service's name: its
 * replicas share the requests, one handler per request.
 */
export function microserviceOptions(transport: TransportConfig, queueGroup: string): MicroserviceOptions {
  switch (transport.kind) {
    case 'in-process':
      return { strategy: new InProcessServer(transport.bus, queueGroup) };
    case 'nats':
      return {
        transport: Transport.NATS,
        options: {
          ...natsConnectionOptions(transport),
          name: transport.name ?? queueGroup,
          queue: queueGroup,
          // A service started before NATS waits for it rather than failing `listen()`.
          waitOnFirstConnect: true,
        },
      };
  }
}
