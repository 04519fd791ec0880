import type { DaemonTaskDefinitionRevision } from '@daemonfleet/domain';
import { epochSeconds, optionalEpochSeconds } from './epoch-seconds.js';

/** Lists a container leaves out are echoed as [] (spec 2.2, as the official example does). */
const CONTAINER_LISTS = ['environment', 'mountPoints', 'secrets'] as const;

/** DescribeDaemonTaskDefinition's `daemonTaskDefinition`. */
export function presentDaemonTaskDefinition(revision: DaemonTaskDefinitionRevision) {
  const { tags: _tags, containerDefinitions, volumes, ...definition } = revision.definition;
  return {
    daemonTaskDefinitionArn: revision.daemonTaskDefinitionArn,
    family: revision.family,
    revision: revision.revision,
    ...definition,
    containerDefinitions: containerDefinitions.map((container) => ({
      ...Object.fromEntries(CONTAINER_LISTS.map((list) => [list, []])),
      ...container,
    })),
    volumes: [...volumes],
    status: revision.status,
    registeredAt: epochSeconds(revision.registeredAt),
    deleteRequestedAt: optionalEpochSeconds(revision.deleteRequestedAt),
    registeredBy: revision.registeredBy,
  };
}

/** ListDaemonTaskDefinitions' summary: the ARN is `arn`, not `daemonTaskDefinitionArn` (spec 2.3). */
export function presentDaemonTaskDefinitionSummary(revision: DaemonTaskDefinitionRevision) {
  return {
    arn: revision.daemonTaskDefinitionArn,
    registeredAt: epochSeconds(revision.registeredAt),
    registeredBy: revision.registeredBy,
    deleteRequestedAt: optionalEpochSeconds(revision.deleteRequestedAt),
    status: revision.status,
  };
}
