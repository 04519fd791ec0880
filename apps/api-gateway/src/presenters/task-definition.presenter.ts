import type { TaskDefinitionRevision } from '@daemonfleet/domain';
import { epochSeconds } from './epoch-seconds.js';

/** DescribeTaskDefinition's `taskDefinition` for an application task definition; tags are not part of it. */
export function presentTaskDefinition(revision: TaskDefinitionRevision) {
  const { tags: _tags, family: _family, ...definition } = revision.definition;
  return {
    taskDefinitionArn: revision.taskDefinitionArn,
    family: revision.family,
    revision: revision.revision,
    ...definition,
    status: 'ACTIVE',
    registeredAt: epochSeconds(revision.registeredAt),
  };
}
