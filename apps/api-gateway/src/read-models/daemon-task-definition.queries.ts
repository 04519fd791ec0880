import { Injectable } from '@nestjs/common';
import { Streams, type ListDaemonTaskDefinitionsDto, type Scope } from '@daemonfleet/contracts';
import { latestActiveRevision, parseEcsArn, type DaemonTaskDefinitionReference, type DaemonTaskDefinitionRevision } from '@daemonfleet/domain';
import { ReadModelFeed } from './read-model-feed.js';
import { ReadModels } from './read-models.js';

/** Daemon task definitions as the gateway's read models hold them; every answer reads its writes. */
@Injectable()
export class DaemonTaskDefinitionQueries {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: ReadModelFeed,
  ) {}

  /** `family:revision` names that revision, whatever its status; a bare family the latest ACTIVE one (spec 2.2). */
  async find(reference: DaemonTaskDefinitionReference): Promise<DaemonTaskDefinitionRevision | undefined> {
    await this.feed.fresh();
    const family = this.readModels.taskDefinitionFamilies.get(Streams.daemonTaskDefinitionFamily(reference.scope, reference.family));
    if (!family) return undefined;
    return reference.revision === undefined ? latestActiveRevision(family) : family.revisions.get(reference.revision);
  }

  /** ListDaemonTaskDefinitions' filters (spec 2.3); sorting and paging are the caller's. */
  async list(scope: Scope, query: ListDaemonTaskDefinitionsDto): Promise<DaemonTaskDefinitionRevision[]> {
    await this.feed.fresh();
    const status = query.status ?? 'ACTIVE';
    const matches: DaemonTaskDefinitionRevision[] = [];
    for (const family of this.readModels.taskDefinitionFamilies.values()) {
      const revisions = [...family.revisions.values()];
      const first = revisions[0];
      if (!first || !sameScope(first.daemonTaskDefinitionArn, scope)) continue;
      if (query.family !== undefined && first.family !== query.family) continue;
      if (query.familyPrefix !== undefined && !first.family.startsWith(query.familyPrefix)) continue;
      const wanted = revisions.filter((r) => status === 'ALL' || r.status === status);
      matches.push(...(query.revision === 'LAST_REGISTERED' ? wanted.slice(-1) : wanted));
    }
    return matches;
  }
}

function sameScope(arn: string, scope: Scope): boolean {
  const parsed = parseEcsArn(arn);
  return parsed?.scope.accountId === scope.accountId && parsed.scope.region === scope.region;
}
