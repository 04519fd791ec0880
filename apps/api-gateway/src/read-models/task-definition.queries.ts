import { Injectable } from '@nestjs/common';
import { Streams } from '@daemonfleet/contracts';
import { findTaskDefinition, type TaskDefinitionReference, type TaskDefinitionRevision } from '@daemonfleet/domain';
import { ReadModelFeed } from './read-model-feed.js';
import { ReadModels } from './read-models.js';

/** Application task definitions (the ones services run) as the gateway's read models hold them. */
@Injectable()
export class TaskDefinitionQueries {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: ReadModelFeed,
  ) {}

  /** `family:revision` names that revision; a bare family the latest. */
  async find(reference: TaskDefinitionReference): Promise<TaskDefinitionRevision | undefined> {
    await this.feed.fresh();
    const family = this.readModels.applicationTaskDefinitions.get(Streams.taskDefinitionFamily(reference.scope, reference.family));
    return family && findTaskDefinition(family, reference.revision);
  }
}
