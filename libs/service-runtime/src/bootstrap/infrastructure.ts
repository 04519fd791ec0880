import type { Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { EventStore } from '@daemonfleet/event-store';
import type { TransportConfig } from '@daemonfleet/messaging';
import type { Clock, IdGenerator } from '../clock/clock.js';
import type { ServiceConfig } from '../config/service-config.js';
import { CommandMetricsInterceptor } from '../metrics/command-metrics.interceptor.js';
import { METRICS, ServiceMetrics } from '../metrics/service-metrics.js';

/**
 * What a composition root hands to each service: the one place the mode (embedded or distributed) is chosen.
 * Services depend on these ports only, never on which adapter they got.
 */
export interface ServiceInfrastructure {
  /** The `service` field of every log line of this process: the service's name, or `daemonfleet` when embedded. */
  readonly processName: string;
  readonly config: ServiceConfig;
  readonly eventStore: EventStore;
  readonly transport: TransportConfig;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The process's Prometheus metrics; absent (in tests that assemble services by hand), each module counts into its own. */
  readonly metrics?: ServiceMetrics;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
export const IDS = Symbol('IDS');
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

export function infrastructureProviders(infrastructure: ServiceInfrastructure): Provider[] {
  return [
    { provide: EVENT_STORE, useValue: infrastructure.eventStore },
    { provide: CLOCK, useValue: infrastructure.clock },
    { provide: IDS, useValue: infrastructure.ids },
    { provide: SERVICE_CONFIG, useValue: infrastructure.config },
    { provide: METRICS, useValue: infrastructure.metrics ?? new ServiceMetrics({ service: infrastructure.processName }) },
    // Every message and HTTP request the module handles is counted (commands handled).
    { provide: APP_INTERCEPTOR, useClass: CommandMetricsInterceptor },
  ];
}
