import type { ECSClient } from '@aws-sdk/client-ecs';
import type { EventStore } from '@daemonfleet/event-store';

/** A running daemonfleet as the AWS scenarios see it: its gateway's URL, an ECS client on it, its event store. */
export interface EcsSystem {
  readonly url: string;
  readonly ecs: ECSClient;
  readonly store: EventStore;
}
