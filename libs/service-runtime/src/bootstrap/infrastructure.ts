import type { Provider } from '@nestjs/common';
import type { EventStore } from '@daemonfleet/event-store';
import type { TransportConfig } from '@daemonfleet/messaging';
import type { Clock, IdGenerator } from '../clock/clock.js';
import type { ServiceConfig } from '../config/service-config.js';

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
  ];
}
