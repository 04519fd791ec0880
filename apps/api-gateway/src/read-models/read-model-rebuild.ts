import type { EventStore } from '@daemonfleet/event-store';
import type { ReadModelSnapshot } from './read-model-snapshots.js';
import { ReadModels } from './read-models.js';

/** Events read per call while folding the whole store. */
export const REBUILD_PAGE = 5_000;

/** What folding the whole store into empty read models gave. */
export interface FoldedStore {
  readonly readModels: ReadModels;
  readonly eventsFolded: number;
  /** The snapshot of the read models at the last event folded; none for an empty store. */
  readonly snapshot?: ReadModelSnapshot;
}

/**
 * Folds every event of the store, in global order, into empty read models: what a gateway starting without a
 * snapshot does through its subscription, done with plain reads (`npm run rebuild-projections`). The same
 * `ReadModels.apply`, in the same order, so the result is exactly what the gateway's feed holds at that position.
 */
export async function foldStore(store: EventStore, readModels = new ReadModels(), pageSize = REBUILD_PAGE): Promise<FoldedStore> {
  let eventsFolded = 0;
  let last: { position: number; eventId: string } | undefined;
  for (let fromPosition = 1; ; ) {
    const page = await store.readAll({ fromPosition, maxCount: pageSize });
    if (page.length === 0) break;
    for (const event of page) readModels.apply(event);
    eventsFolded += page.length;
    const event = page[page.length - 1];
    last = { position: event.globalPosition, eventId: event.metadata.eventId };
    fromPosition = event.globalPosition + 1;
  }
  return { readModels, eventsFolded, ...(last ? { snapshot: { ...last, content: readModels.content() } } : {}) };
}

/** One line per read model: how many of each it holds (`4 clusters, 2 capacity providers, ...`). */
export function describeReadModels(readModels: ReadModels): string {
  const { projections, alarms, taskLocator } = readModels.content();
  const names: Record<string, [string, string]> = {
    clusters: ['cluster', 'clusters'],
    capacityProviders: ['capacity provider', 'capacity providers'],
    taskDefinitionFamilies: ['daemon task definition family', 'daemon task definition families'],
    daemons: ['daemon', 'daemons'],
    deployments: ['daemon deployment', 'daemon deployments'],
    services: ['service', 'services'],
    applicationTaskDefinitions: ['task definition family', 'task definition families'],
    faultRules: ['fault rule', 'fault rules'],
  };
  const count = (n: number, [one, many]: [string, string]) => `${n} ${n === 1 ? one : many}`;
  const instances = [...readModels.capacityProviders.values()].reduce((sum, provider) => sum + (provider.status === 'ACTIVE' ? provider.fleet.instances.size : 0), 0);
  return [
    ...Object.entries(projections).map(([name, projection]) => count(projection.states.size, names[name] ?? [name, name])),
    count(instances, ['container instance', 'container instances']),
    count(taskLocator.size, ['task', 'tasks']),
    count(alarms.size, ['alarm', 'alarms']),
  ].join(', ');
}
