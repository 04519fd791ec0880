import type { DeploymentStarted } from './deployment.events.js';

/** DeploymentStarted before schema version 2: `timesInAlarmAtStart` came later, and events written before lack it. */
type DeploymentStartedV1 = Omit<DeploymentStarted['data'], 'timesInAlarmAtStart'> & { readonly timesInAlarmAtStart?: Readonly<Record<string, number>> };

/**
 * The schema history of every event type whose data changed shape since it was first stored (architecture section
 * 3): its current version, which writers stamp on `metadata.schemaVersion`, and for each older version k the step
 * k → k + 1 readers apply (the event store's EventSchemas). A type not listed is at version 1. Old events are never
 * rewritten: a change of shape adds a version and its step here, and the fold only ever sees the current shape.
 * Structurally the event store's `EventSchemaHistories` (contracts depend on no other project).
 */
export const EVENT_SCHEMA_HISTORY = {
  DeploymentStarted: {
    currentVersion: 2,
    upcasters: {
      // v2 makes `timesInAlarmAtStart` required. A v1 event without it: an alarm in ALARM at the start is ignored
      // for as long as it stays in ALARM (no count to compare with), which is what `{}` means to the guards.
      1: (data: DeploymentStartedV1): DeploymentStarted['data'] => ({ ...data, timesInAlarmAtStart: data.timesInAlarmAtStart ?? {} }),
    },
  },
} as const;
